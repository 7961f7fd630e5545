package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func destConfig(arn string) *types.DeliveryDestinationConfiguration {
	return &types.DeliveryDestinationConfiguration{DestinationResourceArn: aws.String(arn)}
}

// The destination type is derived from the resource ARN, which is kept
// verbatim; tags are never echoed; outputFormat only when it was given.
func TestDeliveryDestinationTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     cwl.PutDeliveryDestinationInput
		typ    types.DeliveryDestinationType
		format types.OutputFormat
		conf   *types.DeliveryDestinationConfiguration
	}{
		{"s3-json-tagged", cwl.PutDeliveryDestinationInput{
			OutputFormat: types.OutputFormatJson, DeliveryDestinationConfiguration: destConfig("arn:aws:s3:::bucket"),
			Tags: map[string]string{"key1": "value1"},
		}, types.DeliveryDestinationTypeS3, types.OutputFormatJson, destConfig("arn:aws:s3:::bucket")},
		{"s3-no-format", cwl.PutDeliveryDestinationInput{
			DeliveryDestinationConfiguration: destConfig("arn:aws:s3:::bucket"),
		}, types.DeliveryDestinationTypeS3, "", destConfig("arn:aws:s3:::bucket")},
		{"s3-parquet", cwl.PutDeliveryDestinationInput{
			OutputFormat: types.OutputFormatParquet, DeliveryDestinationConfiguration: destConfig("arn:aws:s3:::bucket"),
		}, types.DeliveryDestinationTypeS3, types.OutputFormatParquet, destConfig("arn:aws:s3:::bucket")},
		{"s3-key-prefix", cwl.PutDeliveryDestinationInput{
			DeliveryDestinationConfiguration: destConfig("arn:aws:s3:::bucket/prefix"),
		}, types.DeliveryDestinationTypeS3, "", destConfig("arn:aws:s3:::bucket/prefix")},
		{"cwl", cwl.PutDeliveryDestinationInput{
			DeliveryDestinationConfiguration: destConfig("arn:aws:logs:us-east-1:111111111111:log-group:my-group"),
		}, types.DeliveryDestinationTypeCwl, "", destConfig("arn:aws:logs:us-east-1:111111111111:log-group:my-group")},
		{"cwl-plain", cwl.PutDeliveryDestinationInput{
			OutputFormat:                     types.OutputFormatPlain,
			DeliveryDestinationConfiguration: destConfig("arn:aws:logs:us-east-1:111111111111:log-group:my-group"),
		}, types.DeliveryDestinationTypeCwl, types.OutputFormatPlain, destConfig("arn:aws:logs:us-east-1:111111111111:log-group:my-group")},
		{"firehose", cwl.PutDeliveryDestinationInput{
			DeliveryDestinationConfiguration: destConfig("arn:aws:firehose:us-east-1:111111111111:deliverystream/s"),
		}, types.DeliveryDestinationTypeFh, "", destConfig("arn:aws:firehose:us-east-1:111111111111:deliverystream/s")},
		{"xray", cwl.PutDeliveryDestinationInput{
			DeliveryDestinationType: types.DeliveryDestinationTypeXray,
		}, types.DeliveryDestinationTypeXray, "", nil},
	}
	c := newClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Name = aws.String(tt.name)
			put, err := c.PutDeliveryDestination(ctx, &in)
			if err != nil {
				t.Fatal(err)
			}
			want := types.DeliveryDestination{
				Name:                             aws.String(tt.name),
				Arn:                              aws.String("arn:aws:logs:us-east-1:111111111111:delivery-destination:" + tt.name),
				DeliveryDestinationType:          tt.typ,
				OutputFormat:                     tt.format,
				DeliveryDestinationConfiguration: tt.conf,
			}
			same(t, "PutDeliveryDestination", *put.DeliveryDestination, want)
			get, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String(tt.name)})
			if err != nil {
				t.Fatal(err)
			}
			same(t, "GetDeliveryDestination", *get.DeliveryDestination, want)
		})
	}
	// Describe lists them all, without tags.
	desc, err := c.DescribeDeliveryDestinations(ctx, &cwl.DescribeDeliveryDestinationsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc.DeliveryDestinations) != len(tests) {
		t.Fatalf("DescribeDeliveryDestinations has %d items, want %d", len(desc.DeliveryDestinations), len(tests))
	}
	for _, d := range desc.DeliveryDestinations {
		if d.Tags != nil {
			t.Errorf("DescribeDeliveryDestinations %s has tags %v", aws.ToString(d.Name), d.Tags)
		}
	}
	same(t, "tags given at creation", listTags(t, c, destinationArn(acct, "s3-json-tagged")), map[string]string{"key1": "value1"})
}

func TestDeliveryDestinationRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   cwl.PutDeliveryDestinationInput
		msg  string
	}{
		{"no configuration and no type", cwl.PutDeliveryDestinationInput{}, ""},
		{"no configuration for S3", cwl.PutDeliveryDestinationInput{DeliveryDestinationType: types.DeliveryDestinationTypeS3}, ""},
		{"unknown output format", cwl.PutDeliveryDestinationInput{
			OutputFormat: "foobar", DeliveryDestinationConfiguration: destConfig("arn:aws:s3:::bucket"),
		}, msgBadOutputFormat},
		{"parquet into a log group", cwl.PutDeliveryDestinationInput{
			OutputFormat:                     types.OutputFormatParquet,
			DeliveryDestinationConfiguration: destConfig("arn:aws:logs:us-east-1:111111111111:log-group:my-group"),
		}, ""},
	}
	c := newClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Name = aws.String("refused")
			_, err := c.PutDeliveryDestination(ctx, &in)
			wantErr[types.ValidationException](t, err, tt.msg)
			_, err = c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String("refused")})
			wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
		})
	}
}

func TestDeliveryDestinationUpdate(t *testing.T) {
	t.Parallel()
	put := func(c *cwl.Client, arn string, format types.OutputFormat, tags map[string]string) (*cwl.PutDeliveryDestinationOutput, error) {
		return c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{
			Name: aws.String("dst"), DeliveryDestinationConfiguration: destConfig(arn), OutputFormat: format, Tags: tags,
		})
	}
	get := func(t *testing.T, c *cwl.Client) types.DeliveryDestination {
		t.Helper()
		out, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String("dst")})
		if err != nil {
			t.Fatal(err)
		}
		return *out.DeliveryDestination
	}
	setup := func(t *testing.T, format types.OutputFormat, tags map[string]string) *cwl.Client {
		c := newClient(t)
		if _, err := put(c, "arn:aws:s3:::first-bucket", format, tags); err != nil {
			t.Fatal(err)
		}
		return c
	}

	t.Run("another bucket", func(t *testing.T) {
		t.Parallel()
		c := setup(t, "", nil)
		out, err := put(c, "arn:aws:s3:::second-bucket", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := types.DeliveryDestination{
			Name: aws.String("dst"), Arn: aws.String(destinationArn(acct, "dst")),
			DeliveryDestinationType:          types.DeliveryDestinationTypeS3,
			DeliveryDestinationConfiguration: destConfig("arn:aws:s3:::second-bucket"),
		}
		same(t, "PutDeliveryDestination", *out.DeliveryDestination, want)
		same(t, "GetDeliveryDestination", get(t, c), want)
	})
	t.Run("another output format", func(t *testing.T) {
		t.Parallel()
		c := setup(t, types.OutputFormatJson, nil)
		_, err := put(c, "arn:aws:s3:::first-bucket", types.OutputFormatPlain, nil)
		wantErr[types.ValidationException](t, err, msgNewOutputFormat)
		same(t, "outputFormat", get(t, c).OutputFormat, types.OutputFormatJson)
	})
	t.Run("the same output format again", func(t *testing.T) {
		t.Parallel()
		c := setup(t, types.OutputFormatJson, nil)
		out, err := put(c, "arn:aws:s3:::second-bucket", types.OutputFormatJson, nil)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "outputFormat", out.DeliveryDestination.OutputFormat, types.OutputFormatJson)
	})
	t.Run("S3 to a log group", func(t *testing.T) {
		t.Parallel()
		c := setup(t, "", nil)
		_, err := put(c, logGroupArn(acct, "my-group"), "", nil)
		if err == nil {
			t.Fatal("changing the destination type was accepted")
		}
		wantErr[types.ValidationException](t, err, "")
		same(t, "stored destination", get(t, c).DeliveryDestinationConfiguration, destConfig("arn:aws:s3:::first-bucket"))
	})
	t.Run("other tags on update", func(t *testing.T) {
		t.Parallel()
		c := setup(t, "", map[string]string{"key1": "value1"})
		_, err := put(c, "arn:aws:s3:::first-bucket", "", map[string]string{"key1": "other"})
		wantErr[types.ConflictException](t, err, msgTagsOnUpdate)
		same(t, "tags", listTags(t, c, destinationArn(acct, "dst")), map[string]string{"key1": "value1"})
	})
	t.Run("tags on update of an untagged destination", func(t *testing.T) {
		t.Parallel()
		c := setup(t, "", nil)
		_, err := put(c, "arn:aws:s3:::first-bucket", "", map[string]string{"key1": "value1"})
		wantErr[types.ConflictException](t, err, msgTagsOnUpdate)
	})
	t.Run("the same tags again", func(t *testing.T) {
		t.Parallel()
		c := setup(t, "", map[string]string{"key1": "value1"})
		out, err := put(c, "arn:aws:s3:::second-bucket", "", map[string]string{"key1": "value1"})
		if err != nil {
			t.Fatal(err)
		}
		if out.DeliveryDestination.Tags != nil {
			t.Errorf("tags echoed: %v", out.DeliveryDestination.Tags)
		}
		same(t, "tags", listTags(t, c, destinationArn(acct, "dst")), map[string]string{"key1": "value1"})
	})
}

func TestDeliveryDestinationNotFound(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	_, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String("foobar")})
	wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
	_, err = c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("foobar")})
	wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
}

func TestDeleteDeliveryDestination(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	mkDestination(t, c, "gone", s3Arn("bucket"))
	if _, err := c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String("gone")})
	wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
	_, err = c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("gone")})
	wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)

	// The name is free again, even for another destination type.
	got := mkDestination(t, c, "gone", logGroupArn(acct, "g"))
	same(t, "type", got.DeliveryDestinationType, types.DeliveryDestinationTypeCwl)
}

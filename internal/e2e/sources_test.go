package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// The recorded PutDeliverySource example: tags are echoed by Put only.
func TestDeliverySourceSeedExample(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	put, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String("seed"), ResourceArn: aws.String(seedSourceArn),
		LogType: aws.String("ACCESS_LOGS"), Tags: map[string]string{"key1": "value1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := types.DeliverySource{
		Name:         aws.String("seed"),
		Arn:          aws.String("arn:aws:logs:us-east-1:111111111111:delivery-source:seed"),
		ResourceArns: []string{seedSourceArn},
		Service:      aws.String("cloudfront"),
		LogType:      aws.String("ACCESS_LOGS"),
		Tags:         map[string]string{"key1": "value1"},
	}
	same(t, "PutDeliverySource", *put.DeliverySource, want)

	want.Tags = nil
	get, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("seed")})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "GetDeliverySource", *get.DeliverySource, want)

	desc, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "DescribeDeliverySources", desc.DeliverySources, []types.DeliverySource{want})
	if desc.NextToken != nil {
		t.Errorf("nextToken = %q, want none", *desc.NextToken)
	}
	same(t, "ListTagsForResource", listTags(t, c, *want.Arn), map[string]string{"key1": "value1"})
}

func TestDeliverySourceOverwrite(t *testing.T) {
	t.Parallel()
	put := func(c *cwl.Client, resourceArn string, tags, conf map[string]string) (*cwl.PutDeliverySourceOutput, error) {
		return c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
			Name: aws.String("src"), ResourceArn: aws.String(resourceArn), LogType: aws.String("ACCESS_LOGS"),
			Tags: tags, DeliverySourceConfiguration: conf,
		})
	}
	get := func(t *testing.T, c *cwl.Client) *types.DeliverySource {
		t.Helper()
		out, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("src")})
		if err != nil {
			t.Fatal(err)
		}
		return out.DeliverySource
	}
	// setup creates src with tags {key1: value1}.
	setup := func(t *testing.T) *cwl.Client {
		c := newClient(t)
		if _, err := put(c, seedSourceArn, map[string]string{"key1": "value1"}, map[string]string{"samplingRate": "50", "extra": "1"}); err != nil {
			t.Fatal(err)
		}
		return c
	}

	t.Run("same resourceArn replaces the configuration", func(t *testing.T) {
		t.Parallel()
		c := setup(t)
		same(t, "configuration after create", get(t, c).DeliverySourceConfiguration, map[string]string{"samplingRate": "50", "extra": "1"})
		out, err := put(c, seedSourceArn, nil, map[string]string{"samplingRate": "25"})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Put answer configuration", out.DeliverySource.DeliverySourceConfiguration, map[string]string{"samplingRate": "25"})
		same(t, "stored configuration", get(t, c).DeliverySourceConfiguration, map[string]string{"samplingRate": "25"})
		same(t, "resourceArns", get(t, c).ResourceArns, []string{seedSourceArn})
	})
	t.Run("another resourceArn is a conflict", func(t *testing.T) {
		t.Parallel()
		c := setup(t)
		_, err := put(c, cfArn("other"), nil, nil)
		wantErr[types.ConflictException](t, err, msgNewResourceID)
		same(t, "resourceArns", get(t, c).ResourceArns, []string{seedSourceArn})
	})
	t.Run("other tags on update are a conflict", func(t *testing.T) {
		t.Parallel()
		c := setup(t)
		_, err := put(c, seedSourceArn, map[string]string{"key1": "value2"}, nil)
		wantErr[types.ConflictException](t, err, msgTagsOnUpdate)
		_, err = put(c, seedSourceArn, map[string]string{"key1": "value1", "key2": "value2"}, nil)
		wantErr[types.ConflictException](t, err, msgTagsOnUpdate)
		same(t, "tags", listTags(t, c, sourceArn(acct, "src")), map[string]string{"key1": "value1"})
	})
	t.Run("the same tags again are accepted", func(t *testing.T) {
		t.Parallel()
		c := setup(t)
		if _, err := put(c, seedSourceArn, map[string]string{"key1": "value1"}, nil); err != nil {
			t.Fatal(err)
		}
		same(t, "tags", listTags(t, c, sourceArn(acct, "src")), map[string]string{"key1": "value1"})
	})
}

func TestDeliverySourceRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, region, resourceArn, logType string
		check                              func(t *testing.T, err error)
	}{
		{"S3 bucket with ACCESS_LOGS", region, "arn:aws:s3:::test-s3-bucket", "ACCESS_LOGS", func(t *testing.T, err error) {
			wantErr[types.ResourceNotFoundException](t, err, msgCannotAccess)
		}},
		{"unknown service", region, "arn:aws:foo:us-east-1:111111111111:bar/x", "ACCESS_LOGS", func(t *testing.T, err error) {
			wantErr[types.ResourceNotFoundException](t, err, msgCannotAccess)
		}},
		{"log type CloudFront does not emit", region, seedSourceArn, "APPLICATION_LOGS", func(t *testing.T, err error) {
			wantErr[types.ValidationException](t, err, "")
		}},
		{"CloudFront outside us-east-1", euRegion, seedSourceArn, "ACCESS_LOGS", func(t *testing.T, err error) {
			wantErr[types.ValidationException](t, err, "")
		}},
	}
	srv := server(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(srv, acct, tt.region)
			_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
				Name: aws.String("refused"), ResourceArn: aws.String(tt.resourceArn), LogType: aws.String(tt.logType),
			})
			tt.check(t, err)
			_, err = c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("refused")})
			wantErr[types.ResourceNotFoundException](t, err, msgSourceNotFound)
		})
	}
}

// The service of a source is the namespace of its resource ARN.
func TestDeliverySourceServices(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, resourceArn, logType, service string
	}{
		{"alb", "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/my-lb/0123456789abcdef", "ALB_ACCESS_LOGS", "elasticloadbalancing"},
		{"nlb", "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/my-nlb/0123456789abcdef", "NLB_ACCESS_LOGS", "elasticloadbalancing"},
		{"workmail", "arn:aws:workmail:us-east-1:111111111111:organization/m-1234EXAMPLEabcd1234abcd1234abcd1234", "ACCESS_CONTROL_LOGS", "workmail"},
		{"securityhub", "arn:aws:securityhub:us-east-1:111111111111:hub/*", "SECURITY_FINDING_LOGS", "securityhub"},
		{"bedrock-agent", "arn:aws:bedrock:us-east-1:111111111111:agent/ABCDEFGHIJ", "APPLICATION_LOGS", "bedrock"},
		{"agentcore-runtime", "arn:aws:bedrock-agentcore:us-east-1:111111111111:runtime/my_agent-AbCdEf1234", "TRACES", "bedrock-agentcore"},
		{"codewhisperer", "arn:aws:codewhisperer:us-east-1:111111111111:profile/ABCDEF123456", "EVENT_LOGS", "codewhisperer"},
		{"identity-center", "arn:aws:sso:::instance/ssoins-1234567890abcdef", "ERROR_LOGS", "sso"},
	}
	c := newClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mkSourceFor(t, c, tt.name, tt.resourceArn, tt.logType)
			want := types.DeliverySource{
				Name: aws.String(tt.name), Arn: aws.String(sourceArn(acct, tt.name)),
				ResourceArns: []string{tt.resourceArn}, Service: aws.String(tt.service), LogType: aws.String(tt.logType),
			}
			same(t, "PutDeliverySource", *got, want)
			out, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String(tt.name)})
			if err != nil {
				t.Fatal(err)
			}
			same(t, "GetDeliverySource", *out.DeliverySource, want)
		})
	}
}

func TestDeliverySourceNotFound(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	_, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("foobar")})
	wantErr[types.ResourceNotFoundException](t, err, msgSourceNotFound)
	_, err = c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("foobar")})
	wantErr[types.ResourceNotFoundException](t, err, msgSourceNotFound)
}

func TestDeleteDeliverySource(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	mkSource(t, c, "gone")
	mkSource(t, c, "kept")
	if _, err := c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("gone")})
	// AWS's text here was recorded with a doubled period; only the code is certain.
	wantErr[types.ResourceNotFoundException](t, err, "")
	_, err = c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("gone")})
	wantErr[types.ResourceNotFoundException](t, err, "")

	desc, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc.DeliverySources) != 1 || aws.ToString(desc.DeliverySources[0].Name) != "kept" {
		t.Errorf("DescribeDeliverySources = %s, want only kept", show(desc.DeliverySources))
	}

	// The name is free again at once, even for another resource and with tags.
	out, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String("gone"), ResourceArn: aws.String(cfArn("new")), LogType: aws.String("ACCESS_LOGS"),
		Tags: map[string]string{"fresh": "yes"},
	})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "re-created source", *out.DeliverySource, types.DeliverySource{
		Name: aws.String("gone"), Arn: aws.String(sourceArn(acct, "gone")), ResourceArns: []string{cfArn("new")},
		Service: aws.String("cloudfront"), LogType: aws.String("ACCESS_LOGS"), Tags: map[string]string{"fresh": "yes"},
	})
}

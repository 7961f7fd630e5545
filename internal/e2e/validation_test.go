package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go/middleware"
)

// noClientValidation turns off the SDK's own required-member check so the
// server's can be seen.
func noClientValidation(o *cwl.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

// coral is AWS's one-violation message.
func coral(value, path, constraint string) string {
	return "1 validation error detected: Value '" + value + "' at '" + path + "' failed to satisfy constraint: " + constraint
}

// Constraint violations of the delivery operations: ValidationException in
// Coral wording, checked before anything is looked up.
func TestDeliveryShapeErrors(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	src := mkSource(t, c, "src")
	mkDestination(t, c, "dst", s3Arn("bucket"))
	n61, id65 := strings.Repeat("n", 61), strings.Repeat("A", 65)
	dst := aws.String(destinationArn(acct, "dst"))

	tests := []struct {
		name string
		call func() error
		msg  string // "" checks the code only
	}{
		{"PutDeliverySource name too long", func() error {
			_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String(n61), ResourceArn: aws.String(seedSourceArn), LogType: aws.String("ACCESS_LOGS")})
			return err
		}, coral(n61, "name", "Member must have length less than or equal to 60")},
		{"PutDeliverySource name empty", func() error {
			_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String(""), ResourceArn: aws.String(seedSourceArn), LogType: aws.String("ACCESS_LOGS")})
			return err
		}, coral("", "name", "Member must have length greater than or equal to 1")},
		{"PutDeliverySource name pattern", func() error {
			_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String("bad name!"), ResourceArn: aws.String(seedSourceArn), LogType: aws.String("ACCESS_LOGS")})
			return err
		}, coral("bad name!", "name", `Member must satisfy regular expression pattern: [\w-]*`)},
		{"PutDeliverySource logType pattern", func() error {
			_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String("x"), ResourceArn: aws.String(seedSourceArn), LogType: aws.String("ACCESS-LOGS")})
			return err
		}, coral("ACCESS-LOGS", "logType", `Member must satisfy regular expression pattern: [\w]*`)},
		{"PutDeliverySource 51 tags", func() error {
			_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String("x"), ResourceArn: aws.String(seedSourceArn), LogType: aws.String("ACCESS_LOGS"), Tags: manyTags(51, "k")})
			return err
		}, ""},
		{"GetDeliverySource name too long (before lookup)", func() error {
			_, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String(n61)})
			return err
		}, coral(n61, "name", "Member must have length less than or equal to 60")},
		{"DeleteDeliveryDestination name pattern", func() error {
			_, err := c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("a/b")})
			return err
		}, coral("a/b", "name", `Member must satisfy regular expression pattern: [\w-]*`)},
		{"PutDeliveryDestination outputFormat", func() error {
			_, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{Name: aws.String("d2"), OutputFormat: "foobar", DeliveryDestinationConfiguration: destConfig(s3Arn("bucket"))})
			return err
		}, msgBadOutputFormat},
		{"PutDeliveryDestination type", func() error {
			_, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{Name: aws.String("d2"), DeliveryDestinationType: "S4"})
			return err
		}, ""},
		{"PutDeliveryDestinationPolicy too long", func() error {
			_, err := putPolicy(c, "dst", strings.Repeat(" ", 51201))
			return err
		}, ""},
		{"GetDelivery id pattern", func() error {
			_, err := c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: aws.String("abc-def")})
			return err
		}, coral("abc-def", "id", "Member must satisfy regular expression pattern: ^[0-9A-Za-z]+$")},
		{"DeleteDelivery id too long", func() error {
			_, err := c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: aws.String(id65)})
			return err
		}, coral(id65, "id", "Member must have length less than or equal to 64")},
		{"CreateDelivery fieldDelimiter too long", func() error {
			_, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: src.Name, DeliveryDestinationArn: dst, FieldDelimiter: aws.String("||||||")})
			return err
		}, coral("||||||", "fieldDelimiter", "Member must have length less than or equal to 5")},
		{"CreateDelivery empty suffixPath", func() error {
			_, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: src.Name, DeliveryDestinationArn: dst,
				S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("")}})
			return err
		}, coral("", "s3DeliveryConfiguration.suffixPath", "Member must have length greater than or equal to 1")},
		{"CreateDelivery 129 recordFields", func() error {
			fields := make([]string, 129)
			for i := range fields {
				fields[i] = "date"
			}
			_, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: src.Name, DeliveryDestinationArn: dst, RecordFields: fields})
			return err
		}, ""},
		{"CreateDelivery record field too long", func() error {
			_, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: src.Name, DeliveryDestinationArn: dst, RecordFields: []string{strings.Repeat("f", 65)}})
			return err
		}, ""},
		{"UpdateDeliveryConfiguration id pattern", func() error {
			_, err := c.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{Id: aws.String("a b")})
			return err
		}, coral("a b", "id", "Member must satisfy regular expression pattern: ^[0-9A-Za-z]+$")},
		{"DescribeConfigurationTemplates destination type", func() error {
			_, err := c.DescribeConfigurationTemplates(ctx, &cwl.DescribeConfigurationTemplatesInput{DeliveryDestinationTypes: []types.DeliveryDestinationType{"S4"}})
			return err
		}, ""},
		{"DescribeConfigurationTemplates 11 logTypes", func() error {
			_, err := c.DescribeConfigurationTemplates(ctx, &cwl.DescribeConfigurationTemplatesInput{LogTypes: strings.Fields("A B C D E F G H I J K")})
			return err
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr[types.ValidationException](t, tt.call(), tt.msg)
		})
	}
	if out, err := c.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{}); err != nil || len(out.Deliveries) != 0 {
		t.Errorf("refused calls left deliveries: %v %v", show(out), err)
	}
}

func TestShapeErrorDetails(t *testing.T) {
	t.Parallel()
	c := client(server(t), acct, region)
	raw := cwl.New(c.Options(), noClientValidation)

	t.Run("missing required member", func(t *testing.T) {
		_, err := raw.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{ResourceArn: aws.String(seedSourceArn), LogType: aws.String("ACCESS_LOGS")})
		wantErr[types.ValidationException](t, err, "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
		_, err = raw.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(sourceArn(acct, "x"))})
		wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	})
	t.Run("several violations", func(t *testing.T) {
		n61 := strings.Repeat("n", 61)
		_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String(n61), ResourceArn: aws.String(seedSourceArn), LogType: aws.String("A-B")})
		e := wantErr[types.ValidationException](t, err, "")
		msg := e.ErrorMessage()
		for _, part := range []string{
			"2 validation errors detected: ",
			"Value '" + n61 + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 60",
			`Value 'A-B' at 'logType' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w]*`,
		} {
			if !strings.Contains(msg, part) {
				t.Errorf("message %q lacks %q", msg, part)
			}
		}
		if !strings.HasPrefix(msg, "2 validation errors detected: ") || strings.Count(msg, "; ") != 1 {
			t.Errorf("message %q is not two violations joined by \"; \"", msg)
		}
	})
	t.Run("tagging operations", func(t *testing.T) {
		long := strings.Repeat("k", 129)
		err := tag(c, sourceArn(acct, "x"), map[string]string{long: "v"})
		wantErr[types.InvalidParameterException](t, err, "")
		keys := make([]string, 51)
		for i := range keys {
			keys[i] = "k"
		}
		err = untag(c, sourceArn(acct, "x"), keys...)
		wantErr[types.InvalidParameterException](t, err, "")
		_, err = c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String("")})
		wantErr[types.InvalidParameterException](t, err, coral("", "resourceArn", "Member must have length greater than or equal to 1"))
	})
}

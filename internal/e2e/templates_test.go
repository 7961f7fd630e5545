package e2e

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// templates walks DescribeConfigurationTemplates with the SDK paginator.
func templates(t *testing.T, c *cwl.Client, in cwl.DescribeConfigurationTemplatesInput, limit int32) []types.ConfigurationTemplate {
	t.Helper()
	var all []types.ConfigurationTemplate
	p := cwl.NewDescribeConfigurationTemplatesPaginator(c, &in, func(o *cwl.DescribeConfigurationTemplatesPaginatorOptions) {
		o.Limit = limit
	})
	for pages := 0; p.HasMorePages(); pages++ {
		if pages > 1000 {
			t.Fatal("paginator does not end")
		}
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if limit > 0 && len(page.ConfigurationTemplates) > int(limit) {
			t.Fatalf("page of %d templates, limit %d", len(page.ConfigurationTemplates), limit)
		}
		all = append(all, page.ConfigurationTemplates...)
	}
	return all
}

type templateKey struct {
	service, logType, resourceType string
	dest                           types.DeliveryDestinationType
}

func keyOf(tp types.ConfigurationTemplate) templateKey {
	return templateKey{aws.ToString(tp.Service), aws.ToString(tp.LogType), aws.ToString(tp.ResourceType), tp.DeliveryDestinationType}
}

func keysOf(ts []types.ConfigurationTemplate) []templateKey {
	out := make([]templateKey, len(ts))
	for i, tp := range ts {
		out[i] = keyOf(tp)
	}
	return out
}

func TestConfigurationTemplatesCloudFront(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ts := templates(t, c, cwl.DescribeConfigurationTemplatesInput{Service: aws.String("cloudfront")}, 0)
	var s3 *types.ConfigurationTemplate
	for i, tp := range ts {
		if aws.ToString(tp.Service) != "cloudfront" {
			t.Errorf("template of service %q", aws.ToString(tp.Service))
		}
		if aws.ToString(tp.LogType) == "ACCESS_LOGS" && tp.DeliveryDestinationType == types.DeliveryDestinationTypeS3 {
			s3 = &ts[i]
		}
	}
	if s3 == nil {
		t.Fatalf("no cloudfront ACCESS_LOGS/S3 template in %v", keysOf(ts))
	}
	d := s3.DefaultDeliveryConfigValues
	if d == nil {
		t.Fatal("no defaultDeliveryConfigValues")
	}
	same(t, "default recordFields", d.RecordFields, cloudFrontFields)
	same(t, "default s3DeliveryConfiguration", d.S3DeliveryConfiguration, &types.S3DeliveryConfiguration{
		SuffixPath: aws.String(cloudFrontSuffix), EnableHiveCompatiblePath: aws.Bool(false),
	})
	same(t, "resourceType", aws.ToString(s3.ResourceType), "distribution")
	same(t, "allowed action", aws.ToString(s3.AllowedActionForAllowVendedLogsDeliveryForResource), "cloudfront:AllowVendedLogDeliveryForResource")
	// Every default field is an allowed field.
	allowed := map[string]bool{}
	for _, f := range s3.AllowedFields {
		allowed[aws.ToString(f.Name)] = true
	}
	for _, f := range cloudFrontFields {
		if !allowed[f] {
			t.Errorf("default field %q is not in allowedFields", f)
		}
	}
}

// Filters are ANDed; each list is any-of. The filtered answer is exactly
// the matching part of the whole catalogue, in the same order.
func TestConfigurationTemplatesFilters(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	all := templates(t, c, cwl.DescribeConfigurationTemplatesInput{}, 0)
	tests := []struct {
		name string
		in   cwl.DescribeConfigurationTemplatesInput
	}{
		{"service+logType", cwl.DescribeConfigurationTemplatesInput{Service: aws.String("cloudfront"), LogTypes: []string{"ACCESS_LOGS"}}},
		{"service+destType", cwl.DescribeConfigurationTemplatesInput{Service: aws.String("cloudfront"), DeliveryDestinationTypes: []types.DeliveryDestinationType{types.DeliveryDestinationTypeS3}}},
		{"service+resourceType", cwl.DescribeConfigurationTemplatesInput{Service: aws.String("elasticloadbalancing"), ResourceTypes: []string{"loadbalancer-app"}}},
		{"logType", cwl.DescribeConfigurationTemplatesInput{LogTypes: []string{"TRACES"}}},
		{"destType", cwl.DescribeConfigurationTemplatesInput{DeliveryDestinationTypes: []types.DeliveryDestinationType{types.DeliveryDestinationTypeXray}}},
		{"two logTypes+two destTypes", cwl.DescribeConfigurationTemplatesInput{LogTypes: []string{"ACCESS_LOGS", "ALB_ACCESS_LOGS"}, DeliveryDestinationTypes: []types.DeliveryDestinationType{types.DeliveryDestinationTypeCwl, types.DeliveryDestinationTypeFh}}},
		{"all four", cwl.DescribeConfigurationTemplatesInput{Service: aws.String("bedrock-agentcore"), LogTypes: []string{"APPLICATION_LOGS"}, ResourceTypes: []string{"runtime", "memory"}, DeliveryDestinationTypes: []types.DeliveryDestinationType{types.DeliveryDestinationTypeS3}}},
		{"no match", cwl.DescribeConfigurationTemplatesInput{Service: aws.String("cloudfront"), LogTypes: []string{"NO_SUCH_LOGS"}}},
	}
	for _, tt := range tests {
		in := tt.in
		t.Run(tt.name, func(t *testing.T) {
			got := templates(t, c, in, 0)
			var want []types.ConfigurationTemplate
			for _, tp := range all {
				if matches(tp, in) {
					want = append(want, tp)
				}
			}
			for _, tp := range got {
				if !matches(tp, in) {
					t.Errorf("template %v does not satisfy the filters", keyOf(tp))
				}
			}
			same(t, "filtered templates", keysOf(got), keysOf(want))
			if len(got) >= len(all) {
				t.Errorf("filters did not narrow: %d of %d", len(got), len(all))
			}
		})
	}
}

func matches(tp types.ConfigurationTemplate, in cwl.DescribeConfigurationTemplatesInput) bool {
	if in.Service != nil && aws.ToString(tp.Service) != *in.Service {
		return false
	}
	if len(in.LogTypes) > 0 && !slices.Contains(in.LogTypes, aws.ToString(tp.LogType)) {
		return false
	}
	if len(in.ResourceTypes) > 0 && !slices.Contains(in.ResourceTypes, aws.ToString(tp.ResourceType)) {
		return false
	}
	if len(in.DeliveryDestinationTypes) > 0 && !slices.Contains(in.DeliveryDestinationTypes, tp.DeliveryDestinationType) {
		return false
	}
	return true
}

func TestConfigurationTemplatesCatalogue(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	byLimit := map[int32][]templateKey{}
	var full []types.ConfigurationTemplate
	for _, limit := range []int32{0, 1, 7, 50} {
		ts := templates(t, c, cwl.DescribeConfigurationTemplatesInput{}, limit)
		byLimit[limit] = keysOf(ts)
		if limit == 50 {
			full = ts
		}
	}
	if len(full) <= 50 {
		t.Fatalf("catalogue of %d templates does not need pages at limit 50", len(full))
	}
	seen := map[templateKey]bool{}
	for _, k := range byLimit[50] {
		if seen[k] {
			t.Errorf("template %v listed twice", k)
		}
		seen[k] = true
	}
	for _, limit := range []int32{0, 1, 7} {
		same(t, "templates at another limit", byLimit[limit], byLimit[50])
	}
	// parquet is an output format of S3 only.
	s3Parquet := false
	for _, tp := range full {
		if slices.Contains(tp.AllowedOutputFormats, types.OutputFormatParquet) {
			if tp.DeliveryDestinationType != types.DeliveryDestinationTypeS3 {
				t.Errorf("template %v allows parquet", keyOf(tp))
			}
			s3Parquet = true
		}
	}
	if !s3Parquet {
		t.Error("no S3 template allows parquet")
	}
	// The catalogue is the same for every account and region.
	elsewhere := templates(t, client(server(t), other, westRegion), cwl.DescribeConfigurationTemplatesInput{}, 50)
	same(t, "catalogue of another account and region", keysOf(elsewhere), byLimit[50])
}

func TestConfigurationTemplatesUnknownService(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	_, err := c.DescribeConfigurationTemplates(ctx, &cwl.DescribeConfigurationTemplatesInput{Service: aws.String("nosuchservice")})
	wantErr[types.ResourceNotFoundException](t, err, "")
}

package service

import (
	"maps"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/model"
)

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// optional returns a pointer to s, or nil when s is empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// sameTags reports whether a re-sent tag set equals the stored one; Terraform
// re-sends the tags it created a resource with.
func sameTags(sent, stored map[string]string) bool {
	return maps.Equal(sent, stored)
}

func sourceOut(v model.DeliverySource, withTags bool) *api.DeliverySource {
	out := &api.DeliverySource{
		Name:                        ptr(v.Name),
		Arn:                         ptr(v.Arn),
		ResourceArns:                []string{v.ResourceArn},
		Service:                     ptr(v.Service),
		LogType:                     ptr(v.LogType),
		DeliverySourceConfiguration: v.Config,
	}
	if withTags {
		out.Tags = v.Tags
	}
	return out
}

func destinationOut(v model.DeliveryDestination) *api.DeliveryDestination {
	out := &api.DeliveryDestination{
		Name:                    ptr(v.Name),
		Arn:                     ptr(v.Arn),
		DeliveryDestinationType: ptr(v.Type),
		OutputFormat:            optional(v.OutputFormat),
	}
	if v.ResourceArn != "" {
		out.DeliveryDestinationConfiguration = &api.DeliveryDestinationConfiguration{DestinationResourceArn: ptr(v.ResourceArn)}
	}
	return out
}

func deliveryOut(v model.Delivery, withTags bool) *api.Delivery {
	out := &api.Delivery{
		Id:                      ptr(v.ID),
		Arn:                     ptr(v.Arn),
		DeliverySourceName:      ptr(v.SourceName),
		DeliveryDestinationArn:  ptr(v.DestinationArn),
		DeliveryDestinationType: ptr(v.DestinationType),
		RecordFields:            v.RecordFields,
		FieldDelimiter:          v.FieldDelimiter,
		S3DeliveryConfiguration: s3Out(v.S3),
	}
	if withTags {
		out.Tags = v.Tags
	}
	return out
}

func s3Out(c *model.S3Config) *api.S3DeliveryConfiguration {
	if c == nil {
		return nil
	}
	return &api.S3DeliveryConfiguration{SuffixPath: optional(c.SuffixPath), EnableHiveCompatiblePath: ptr(c.Hive)}
}

package service

import (
	"context"
	"strconv"
	"strings"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/catalog"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// DescribeConfigurationTemplates serves the configuration-template catalogue
// with its filters (ANDed; each list any-of) and pagination. It is the same
// for every account and region.
func (s *Service) DescribeConfigurationTemplates(ctx context.Context, _ model.Scope, in *api.DescribeConfigurationTemplatesInput) (*api.DescribeConfigurationTemplatesOutput, error) {
	service := deref(in.Service)
	if service != "" && s.catalog.LogTypes(service) == nil {
		return nil, awserr.New(awserr.ResourceNotFound, "Requested service '"+service+"' does not support log delivery.")
	}
	listing := store.Listing("templates", service, strings.Join(in.LogTypes, ","),
		strings.Join(in.ResourceTypes, ","), strings.Join(in.DeliveryDestinationTypes, ","))
	p, err := newPager(listing, in.NextToken, in.Limit, awserr.Validation)
	if err != nil {
		return nil, err
	}
	start := 0
	if p.after != "" {
		n, err := strconv.Atoi(p.after)
		if err != nil || n < 0 {
			return nil, awserr.New(awserr.Validation, msgInvalidNextToken)
		}
		start = n
	}
	all := s.catalog.Filter(service, in.LogTypes, in.ResourceTypes, in.DeliveryDestinationTypes)
	start = min(start, len(all))
	end := min(len(all), start+p.limit)
	out := &api.DescribeConfigurationTemplatesOutput{ConfigurationTemplates: make([]api.ConfigurationTemplate, 0, end-start)}
	for _, t := range all[start:end] {
		out.ConfigurationTemplates = append(out.ConfigurationTemplates, templateOut(t))
	}
	if end < len(all) {
		out.NextToken = ptr(store.EncodeToken(listing, strconv.Itoa(end)))
	}
	return out, nil
}

// templateOut renders a catalogue entry without its provenance notes.
func templateOut(t catalog.Template) api.ConfigurationTemplate {
	out := api.ConfigurationTemplate{
		Service:                 ptr(t.Service),
		LogType:                 ptr(t.LogType),
		ResourceType:            ptr(t.ResourceType),
		DeliveryDestinationType: ptr(t.DestinationType),
		DefaultDeliveryConfigValues: &api.ConfigurationTemplateDeliveryConfigValues{
			RecordFields:   t.Defaults.RecordFields,
			FieldDelimiter: t.Defaults.FieldDelimiter,
		},
		AllowedOutputFormats:    t.AllowedOutputFormats,
		AllowedFieldDelimiters:  t.AllowedFieldDelimiters,
		AllowedSuffixPathFields: t.AllowedSuffixPathFields,
	}
	if d := t.Defaults.S3; d != nil {
		out.DefaultDeliveryConfigValues.S3DeliveryConfiguration = &api.S3DeliveryConfiguration{
			SuffixPath: optional(d.SuffixPath), EnableHiveCompatiblePath: ptr(d.EnableHiveCompatiblePath),
		}
	}
	if t.AllowedAction != "" {
		out.AllowedActionForAllowVendedLogsDeliveryForResource = ptr(t.AllowedAction)
	}
	for _, f := range t.AllowedFields {
		out.AllowedFields = append(out.AllowedFields, api.RecordField{Name: ptr(f.Name), Mandatory: ptr(f.Mandatory)})
	}
	for _, c := range t.SourceConfiguration {
		out.DeliverySourceConfiguration = append(out.DeliverySourceConfiguration, api.DeliverySourceConfigurationSchema{
			KeyName: ptr(c.KeyName), ValueType: ptr(c.ValueType), DefaultValue: ptr(c.DefaultValue),
			SupportedValues: c.SupportedValues, MinValue: c.MinValue, MaxValue: c.MaxValue,
		})
	}
	if i := t.S3TablesIntegration; i != nil {
		out.S3TablesIntegration = &api.S3TablesIntegration{DatasourceName: ptr(i.DatasourceName), DatasourceType: ptr(i.DatasourceType)}
	}
	return out
}

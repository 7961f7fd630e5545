package server

import (
	"context"

	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/awsjson"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/service"
)

// operations is the routing table: every operation cwlogd serves, with the
// error code its shape violations are reported under. The delivery
// operations declare ValidationException; the tag operations only
// InvalidParameterException.
func operations(s *service.Service) map[string]handler {
	const v, ip = awserr.Validation, awserr.InvalidParameter
	return map[string]handler{
		"PutDeliverySource":               op(v, s.PutDeliverySource),
		"GetDeliverySource":               op(v, s.GetDeliverySource),
		"DescribeDeliverySources":         op(v, s.DescribeDeliverySources),
		"DeleteDeliverySource":            op(v, s.DeleteDeliverySource),
		"PutDeliveryDestination":          op(v, s.PutDeliveryDestination),
		"GetDeliveryDestination":          op(v, s.GetDeliveryDestination),
		"DescribeDeliveryDestinations":    op(v, s.DescribeDeliveryDestinations),
		"DeleteDeliveryDestination":       op(v, s.DeleteDeliveryDestination),
		"PutDeliveryDestinationPolicy":    op(v, s.PutDeliveryDestinationPolicy),
		"GetDeliveryDestinationPolicy":    op(v, s.GetDeliveryDestinationPolicy),
		"DeleteDeliveryDestinationPolicy": op(v, s.DeleteDeliveryDestinationPolicy),
		"CreateDelivery":                  op(v, s.CreateDelivery),
		"GetDelivery":                     op(v, s.GetDelivery),
		"DescribeDeliveries":              op(v, s.DescribeDeliveries),
		"DeleteDelivery":                  op(v, s.DeleteDelivery),
		"UpdateDeliveryConfiguration":     op(v, s.UpdateDeliveryConfiguration),
		"DescribeConfigurationTemplates":  op(v, s.DescribeConfigurationTemplates),
		"TagResource":                     op(ip, s.TagResource),
		"UntagResource":                   op(ip, s.UntagResource),
		"ListTagsForResource":             op(ip, s.ListTagsForResource),
	}
}

// input is what every generated operation input offers.
type input[I any] interface {
	*I
	ValidateShape() string
}

// op adapts a typed service operation to a handler: decode, validate the
// shape (violations reported under code), run.
func op[I any, O any, PI input[I]](code string, fn func(context.Context, model.Scope, *I) (*O, error)) handler {
	return func(ctx context.Context, sc model.Scope, body []byte) (any, *awserr.Error) {
		in := PI(new(I))
		if err := awsjson.Decode(body, in); err != nil {
			return nil, err
		}
		if msg := in.ValidateShape(); msg != "" {
			return nil, awserr.New(code, msg)
		}
		out, err := fn(ctx, sc, in)
		if err != nil {
			return nil, asAWS(err)
		}
		return out, nil
	}
}

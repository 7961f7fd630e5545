package server

import (
	"context"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/awsjson"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/service"
)

// operations is the routing table: every operation cwlogd serves, with the
// error code its shape violations are reported under. The delivery
// operations declare ValidationException; the tag, log group, stream,
// event and resource policy operations InvalidParameterException.
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
		"CreateLogGroup":                  op(ip, s.CreateLogGroup, func(in *api.CreateLogGroupInput) error { return service.CheckLogNames(in.LogGroupName, nil) }),
		"DeleteLogGroup":                  op(ip, s.DeleteLogGroup),
		"DescribeLogGroups":               op(ip, s.DescribeLogGroups),
		"ListLogGroups":                   op(ip, s.ListLogGroups),
		"CreateLogStream": op(ip, s.CreateLogStream, func(in *api.CreateLogStreamInput) error {
			return service.CheckLogNames(in.LogGroupName, in.LogStreamName)
		}),
		"DeleteLogStream":          op(ip, s.DeleteLogStream),
		"DescribeLogStreams":       op(ip, s.DescribeLogStreams),
		"PutLogEvents":             op(ip, s.PutLogEvents),
		"GetLogEvents":             op(ip, s.GetLogEvents),
		"FilterLogEvents":          op(ip, s.FilterLogEvents),
		"PutRetentionPolicy":       op(ip, s.PutRetentionPolicy),
		"DeleteRetentionPolicy":    op(ip, s.DeleteRetentionPolicy),
		"TagLogGroup":              op(ip, s.TagLogGroup),
		"UntagLogGroup":            op(ip, s.UntagLogGroup),
		"ListTagsLogGroup":         op(ip, s.ListTagsLogGroup),
		"PutResourcePolicy":        op(ip, s.PutResourcePolicy),
		"DescribeResourcePolicies": op(ip, s.DescribeResourcePolicies),
		"DeleteResourcePolicy":     op(ip, s.DeleteResourcePolicy),
	}
}

// input is what every generated operation input offers.
type input[I any] interface {
	*I
	ValidateShape() string
}

// op adapts a typed service operation to a handler: decode, run the
// operation's own first checks (rules AWS applies before the model's
// constraints), validate the shape (violations reported under code), run.
func op[I any, O any, PI input[I]](code string, fn func(context.Context, model.Scope, *I) (*O, error), first ...func(*I) error) handler {
	return func(ctx context.Context, sc model.Scope, body []byte) (any, *awserr.Error) {
		in := PI(new(I))
		if err := awsjson.Decode(body, in); err != nil {
			return nil, err
		}
		for _, check := range first {
			if err := check(in); err != nil {
				return nil, asAWS(err)
			}
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

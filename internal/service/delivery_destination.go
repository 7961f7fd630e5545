package service

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// destinationTypeXRay has no destination resource: X-Ray receives traces.
const destinationTypeXRay = "XRAY"

// PutDeliveryDestination creates or overwrites a delivery destination.
func (s *Service) PutDeliveryDestination(ctx context.Context, sc model.Scope, in *api.PutDeliveryDestinationInput) (*api.PutDeliveryDestinationOutput, error) {
	name := deref(in.Name)
	dst := model.DeliveryDestination{
		Name:         name,
		Arn:          model.LogsARN(sc, model.KindDestination, name),
		OutputFormat: deref(in.OutputFormat),
		Tags:         maps.Clone(in.Tags),
	}
	typ, err := s.destinationType(in)
	if err != nil {
		return nil, err
	}
	dst.Type = typ
	if in.DeliveryDestinationConfiguration != nil {
		dst.ResourceArn = deref(in.DeliveryDestinationConfiguration.DestinationResourceArn)
	}
	if dst.OutputFormat != "" && !slices.Contains(s.catalog.OutputFormats(typ), dst.OutputFormat) {
		return nil, awserr.New(awserr.Validation,
			"Output format '"+dst.OutputFormat+"' is not supported for delivery destination type "+typ+".")
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		old, err := tx.Destination(sc, name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if err := s.checkQuota(sc, s.quotas.Destinations, "delivery destinations", tx.CountDestinations); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if dst.OutputFormat == "" {
				dst.OutputFormat = old.OutputFormat // omitted on update: unchanged
			}
			if dst.OutputFormat != old.OutputFormat {
				return awserr.New(awserr.Validation, msgNewOutputFormat)
			}
			if dst.Type != old.Type {
				return awserr.New(awserr.Validation, msgNewDestinationType)
			}
			if in.Tags != nil && !sameTags(in.Tags, old.Tags) {
				return awserr.New(awserr.Conflict, msgTagsOnUpdate)
			}
			dst.Tags, dst.Policy = old.Tags, old.Policy
		}
		return tx.PutDestination(sc, dst)
	})
	if err := s.finish(ctx, "PutDeliveryDestination", err); err != nil {
		return nil, err
	}
	// AWS does not echo tags here, unlike PutDeliverySource.
	return &api.PutDeliveryDestinationOutput{DeliveryDestination: destinationOut(dst)}, nil
}

// destinationType derives the destination type from the destination
// resource ARN, or takes XRAY when that is asked for without a resource.
func (s *Service) destinationType(in *api.PutDeliveryDestinationInput) (string, error) {
	given := deref(in.DeliveryDestinationType)
	if in.DeliveryDestinationConfiguration == nil {
		if given != destinationTypeXRay {
			return "", awserr.New(awserr.Validation,
				"deliveryDestinationConfiguration is required for delivery destination types S3, CWL and FH.")
		}
		return given, nil
	}
	if given == destinationTypeXRay {
		return "", awserr.New(awserr.Validation,
			"deliveryDestinationConfiguration must not be provided for delivery destination type XRAY.")
	}
	arn := deref(in.DeliveryDestinationConfiguration.DestinationResourceArn)
	derived, ok := s.catalog.DestinationType(arn)
	if !ok {
		return "", awserr.New(awserr.Validation,
			"The destinationResourceArn '"+arn+"' is not a supported delivery destination: use an S3 bucket, a CloudWatch Logs log group or a Firehose delivery stream ARN.")
	}
	if given != "" && given != derived {
		return "", awserr.New(awserr.Validation,
			"deliveryDestinationType "+given+" does not match the destinationResourceArn, which is of type "+derived+".")
	}
	return derived, nil
}

// GetDeliveryDestination returns one delivery destination.
func (s *Service) GetDeliveryDestination(ctx context.Context, sc model.Scope, in *api.GetDeliveryDestinationInput) (*api.GetDeliveryDestinationOutput, error) {
	var dst model.DeliveryDestination
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		dst, err = tx.Destination(sc, deref(in.Name))
		return notFound(err, msgDestinationNotFound)
	})
	if err := s.finish(ctx, "GetDeliveryDestination", err); err != nil {
		return nil, err
	}
	return &api.GetDeliveryDestinationOutput{DeliveryDestination: destinationOut(dst)}, nil
}

// DescribeDeliveryDestinations lists the caller's delivery destinations by name.
func (s *Service) DescribeDeliveryDestinations(ctx context.Context, sc model.Scope, in *api.DescribeDeliveryDestinationsInput) (*api.DescribeDeliveryDestinationsOutput, error) {
	out := &api.DescribeDeliveryDestinationsOutput{DeliveryDestinations: []api.DeliveryDestination{}}
	p, err := newPager(store.Listing("destinations", sc.Account, sc.Region), in.NextToken, in.Limit, awserr.Validation)
	if err != nil {
		return nil, err
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		items, err := tx.ListDestinations(sc, p.after, p.limit+1)
		if err != nil {
			return err
		}
		for _, v := range page(p, items, func(v model.DeliveryDestination) string { return v.Name }) {
			out.DeliveryDestinations = append(out.DeliveryDestinations, *destinationOut(v))
		}
		return nil
	})
	if err := s.finish(ctx, "DescribeDeliveryDestinations", err); err != nil {
		return nil, err
	}
	out.NextToken = p.next
	return out, nil
}

// DeleteDeliveryDestination deletes a delivery destination, and its policy,
// when no delivery in any account uses it.
func (s *Service) DeleteDeliveryDestination(ctx context.Context, sc model.Scope, in *api.DeleteDeliveryDestinationInput) (*api.DeleteDeliveryDestinationOutput, error) {
	name := deref(in.Name)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		dst, err := tx.Destination(sc, name)
		if err != nil {
			return notFound(err, msgDestinationNotFound)
		}
		used, err := tx.DestinationInUse(dst.Arn)
		if err != nil {
			return err
		}
		if used {
			return awserr.New(awserr.Conflict, msgDestinationInUse)
		}
		return tx.DeleteDestination(sc, name)
	})
	if err := s.finish(ctx, "DeleteDeliveryDestination", err); err != nil {
		return nil, err
	}
	return &api.DeleteDeliveryDestinationOutput{}, nil
}

package service

import (
	"context"
	"errors"
	"maps"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// cloudFrontRegion is the only region CloudFront delivers vended logs from.
const cloudFrontRegion = "us-east-1"

// PutDeliverySource creates or overwrites a delivery source.
func (s *Service) PutDeliverySource(ctx context.Context, sc model.Scope, in *api.PutDeliverySourceInput) (*api.PutDeliverySourceOutput, error) {
	name, resourceArn, logType := deref(in.Name), deref(in.ResourceArn), deref(in.LogType)
	service, _, ok := s.catalog.ResolveResource(resourceArn)
	if !ok {
		return nil, awserr.New(awserr.ResourceNotFound, msgServiceNotAllowed)
	}
	if !s.catalog.SupportsLogType(service, logType) {
		if service == "s3" {
			// Recorded from AWS: a bucket ARN with a log type buckets do not
			// emit (ACCESS_LOGS) is "Cannot access provided service.".
			return nil, awserr.New(awserr.ResourceNotFound, msgServiceNotAllowed)
		}
		return nil, awserr.New(awserr.Validation, msgLogTypeNotAllowed)
	}
	if service == "cloudfront" && sc.Region != cloudFrontRegion {
		return nil, awserr.New(awserr.Validation, "CloudFront delivery sources can only be created in us-east-1.")
	}
	src := model.DeliverySource{
		Name:        name,
		Arn:         model.LogsARN(sc, model.KindSource, name),
		ResourceArn: resourceArn,
		Service:     service,
		LogType:     logType,
		Tags:        maps.Clone(in.Tags),
		Config:      maps.Clone(in.DeliverySourceConfiguration),
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		old, err := tx.Source(sc, name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if err := s.checkQuota(sc, s.quotas.Sources, "delivery sources", tx.CountSources); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if old.ResourceArn != resourceArn {
				return awserr.New(awserr.Conflict, msgNewResourceID)
			}
			if old.LogType != logType {
				return awserr.New(awserr.Conflict, msgNewLogType)
			}
			if in.Tags != nil && !sameTags(in.Tags, old.Tags) {
				return awserr.New(awserr.Conflict, msgTagsOnUpdate)
			}
			src.Tags = old.Tags // tags change only through TagResource
		}
		return tx.PutSource(sc, src)
	})
	if err := s.finish(ctx, "PutDeliverySource", err); err != nil {
		return nil, err
	}
	return &api.PutDeliverySourceOutput{DeliverySource: sourceOut(src, true)}, nil
}

// GetDeliverySource returns one delivery source, without its tags as AWS does.
func (s *Service) GetDeliverySource(ctx context.Context, sc model.Scope, in *api.GetDeliverySourceInput) (*api.GetDeliverySourceOutput, error) {
	var src model.DeliverySource
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		src, err = tx.Source(sc, deref(in.Name))
		return notFound(err, msgSourceNotFound)
	})
	if err := s.finish(ctx, "GetDeliverySource", err); err != nil {
		return nil, err
	}
	return &api.GetDeliverySourceOutput{DeliverySource: sourceOut(src, false)}, nil
}

// DescribeDeliverySources lists the caller's delivery sources by name.
func (s *Service) DescribeDeliverySources(ctx context.Context, sc model.Scope, in *api.DescribeDeliverySourcesInput) (*api.DescribeDeliverySourcesOutput, error) {
	out := &api.DescribeDeliverySourcesOutput{DeliverySources: []api.DeliverySource{}}
	p, err := newPager(store.Listing("sources", sc.Account, sc.Region), in.NextToken, in.Limit, awserr.Validation)
	if err != nil {
		return nil, err
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		items, err := tx.ListSources(sc, p.after, p.limit+1)
		if err != nil {
			return err
		}
		items = page(p, items, func(v model.DeliverySource) string { return v.Name })
		for _, v := range items {
			out.DeliverySources = append(out.DeliverySources, *sourceOut(v, false))
		}
		return nil
	})
	if err := s.finish(ctx, "DescribeDeliverySources", err); err != nil {
		return nil, err
	}
	out.NextToken = p.next
	return out, nil
}

// DeleteDeliverySource deletes a delivery source no delivery uses.
func (s *Service) DeleteDeliverySource(ctx context.Context, sc model.Scope, in *api.DeleteDeliverySourceInput) (*api.DeleteDeliverySourceOutput, error) {
	name := deref(in.Name)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Source(sc, name); err != nil {
			return notFound(err, msgSourceNotFound)
		}
		used, err := tx.DeliveriesOfSource(sc, name)
		if err != nil {
			return err
		}
		if len(used) > 0 {
			return awserr.New(awserr.Conflict, msgSourceInUse)
		}
		return tx.DeleteSource(sc, name)
	})
	if err := s.finish(ctx, "DeleteDeliverySource", err); err != nil {
		return nil, err
	}
	return &api.DeleteDeliverySourceOutput{}, nil
}

// notFound turns store.ErrNotFound into ResourceNotFoundException(msg).
func notFound(err error, msg string) error {
	if errors.Is(err, store.ErrNotFound) {
		return awserr.New(awserr.ResourceNotFound, msg)
	}
	return err
}

// checkQuota refuses a new resource when the scope already holds limit.
func (s *Service) checkQuota(sc model.Scope, limit int, kind string, count func(model.Scope) (int, error)) error {
	if limit <= 0 {
		return nil
	}
	n, err := count(sc)
	if err != nil {
		return err
	}
	if n >= limit {
		return quotaExceeded(kind, limit)
	}
	return nil
}

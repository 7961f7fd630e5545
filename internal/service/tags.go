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

const maxTags = 50

// taggable reads and writes the tags of one delivery-family resource.
type taggable struct {
	get func() (map[string]string, error)
	set func(map[string]string) error
	// missing is the message when the resource does not exist.
	missing string
}

// resolveTaggable finds the resource an ARN names in the caller's account
// and region.
func resolveTaggable(tx store.Tx, sc model.Scope, arn string) (taggable, error) {
	rsc, kind, name, ok := model.ParseLogsARN(arn)
	if !ok {
		return taggable{}, awserr.New(awserr.InvalidParameter, "The specified resource ARN '"+arn+"' is not valid.")
	}
	if rsc != sc || model.LogsARN(rsc, kind, name) != arn {
		return taggable{}, awserr.New(awserr.ResourceNotFound, msgResourceNotFound)
	}
	switch kind {
	case model.KindLogGroup:
		return taggable{
			get: func() (map[string]string, error) { g, err := tx.LogGroup(sc, name); return g.Tags, err },
			set: func(tags map[string]string) error {
				g, err := tx.LogGroup(sc, name)
				if err != nil {
					return err
				}
				g.Tags = tags
				return tx.UpdateLogGroup(sc, g)
			},
			missing: msgGroupNotFound,
		}, nil
	case model.KindSource:
		return taggable{
			get: func() (map[string]string, error) { v, err := tx.Source(sc, name); return v.Tags, err },
			set: func(tags map[string]string) error {
				v, err := tx.Source(sc, name)
				if err != nil {
					return err
				}
				v.Tags = tags
				return tx.PutSource(sc, v)
			},
		}, nil
	case model.KindDestination:
		return taggable{
			get: func() (map[string]string, error) { v, err := tx.Destination(sc, name); return v.Tags, err },
			set: func(tags map[string]string) error {
				v, err := tx.Destination(sc, name)
				if err != nil {
					return err
				}
				v.Tags = tags
				return tx.PutDestination(sc, v)
			},
		}, nil
	case model.KindDelivery:
		return taggable{
			get: func() (map[string]string, error) { v, err := tx.Delivery(sc, name); return v.Tags, err },
			set: func(tags map[string]string) error {
				v, err := tx.Delivery(sc, name)
				if err != nil {
					return err
				}
				v.Tags = tags
				return tx.PutDelivery(sc, v)
			},
		}, nil
	}
	return taggable{}, awserr.New(awserr.ResourceNotFound, msgResourceNotFound)
}

// TagResource adds or overwrites tags on a delivery source, destination or
// delivery.
func (s *Service) TagResource(ctx context.Context, sc model.Scope, in *api.TagResourceInput) (*api.TagResourceOutput, error) {
	arn := deref(in.ResourceArn)
	err := s.editTags(ctx, sc, arn, func(tags map[string]string) error {
		maps.Copy(tags, in.Tags)
		if len(tags) > maxTags {
			e := awserr.New(awserr.TooManyTags, msgTooManyTags)
			e.Extra = map[string]string{"resourceName": arn}
			return e
		}
		return nil
	})
	if err := s.finish(ctx, "TagResource", err); err != nil {
		return nil, err
	}
	return &api.TagResourceOutput{}, nil
}

// UntagResource removes tags; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, sc model.Scope, in *api.UntagResourceInput) (*api.UntagResourceOutput, error) {
	err := s.editTags(ctx, sc, deref(in.ResourceArn), func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
	if err := s.finish(ctx, "UntagResource", err); err != nil {
		return nil, err
	}
	return &api.UntagResourceOutput{}, nil
}

// ListTagsForResource returns a resource's tags ({} when it has none).
func (s *Service) ListTagsForResource(ctx context.Context, sc model.Scope, in *api.ListTagsForResourceInput) (*api.ListTagsForResourceOutput, error) {
	tags := map[string]string{}
	err := s.store.View(ctx, func(tx store.Tx) error {
		r, err := resolveTaggable(tx, sc, deref(in.ResourceArn))
		if err != nil {
			return err
		}
		cur, err := r.get()
		if err != nil {
			return notFound(err, r.missingMessage())
		}
		maps.Copy(tags, cur)
		return nil
	})
	if err := s.finish(ctx, "ListTagsForResource", err); err != nil {
		return nil, err
	}
	return &api.ListTagsForResourceOutput{Tags: tags}, nil
}

func (s *Service) editTags(ctx context.Context, sc model.Scope, arn string, edit func(map[string]string) error) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		r, err := resolveTaggable(tx, sc, arn)
		if err != nil {
			return err
		}
		cur, err := r.get()
		if errors.Is(err, store.ErrNotFound) {
			return awserr.New(awserr.ResourceNotFound, r.missingMessage())
		} else if err != nil {
			return err
		}
		tags := maps.Clone(cur)
		if tags == nil {
			tags = map[string]string{}
		}
		if err := edit(tags); err != nil {
			return err
		}
		if len(tags) == 0 {
			tags = nil
		}
		return r.set(tags)
	})
}

func (t taggable) missingMessage() string {
	if t.missing != "" {
		return t.missing
	}
	return msgResourceNotFound
}

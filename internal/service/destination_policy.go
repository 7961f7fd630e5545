package service

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// PutDeliveryDestinationPolicy attaches (or replaces) a destination's
// resource policy, stored minified.
func (s *Service) PutDeliveryDestinationPolicy(ctx context.Context, sc model.Scope, in *api.PutDeliveryDestinationPolicyInput) (*api.PutDeliveryDestinationPolicyOutput, error) {
	doc := deref(in.DeliveryDestinationPolicy)
	var min bytes.Buffer
	if err := json.Compact(&min, []byte(doc)); err != nil || !s.authz.Valid(doc) {
		return nil, awserr.New(awserr.Validation, msgInvalidPolicy)
	}
	policy := min.String()
	err := s.store.Update(ctx, func(tx store.Tx) error {
		dst, err := tx.Destination(sc, deref(in.DeliveryDestinationName))
		if err != nil {
			return notFound(err, msgDestinationNotFound)
		}
		dst.Policy = policy
		return tx.PutDestination(sc, dst)
	})
	if err := s.finish(ctx, "PutDeliveryDestinationPolicy", err); err != nil {
		return nil, err
	}
	return &api.PutDeliveryDestinationPolicyOutput{Policy: &api.Policy{DeliveryDestinationPolicy: &policy}}, nil
}

// GetDeliveryDestinationPolicy returns the policy, or {"policy":{}} when the
// destination has none.
func (s *Service) GetDeliveryDestinationPolicy(ctx context.Context, sc model.Scope, in *api.GetDeliveryDestinationPolicyInput) (*api.GetDeliveryDestinationPolicyOutput, error) {
	var dst model.DeliveryDestination
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		dst, err = tx.Destination(sc, deref(in.DeliveryDestinationName))
		return notFound(err, msgDestinationNotFound)
	})
	if err := s.finish(ctx, "GetDeliveryDestinationPolicy", err); err != nil {
		return nil, err
	}
	return &api.GetDeliveryDestinationPolicyOutput{Policy: &api.Policy{DeliveryDestinationPolicy: optional(dst.Policy)}}, nil
}

// DeleteDeliveryDestinationPolicy removes the policy; removing an absent
// policy succeeds, so retries and Terraform destroys are safe.
func (s *Service) DeleteDeliveryDestinationPolicy(ctx context.Context, sc model.Scope, in *api.DeleteDeliveryDestinationPolicyInput) (*api.DeleteDeliveryDestinationPolicyOutput, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		dst, err := tx.Destination(sc, deref(in.DeliveryDestinationName))
		if err != nil {
			return notFound(err, msgDestinationNotFound)
		}
		if dst.Policy == "" {
			return nil
		}
		dst.Policy = ""
		return tx.PutDestination(sc, dst)
	})
	if err := s.finish(ctx, "DeleteDeliveryDestinationPolicy", err); err != nil {
		return nil, err
	}
	return &api.DeleteDeliveryDestinationPolicyOutput{}, nil
}

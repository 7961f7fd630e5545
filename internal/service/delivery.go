package service

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/catalog"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

const (
	actionCreateDelivery = "logs:CreateDelivery"
	destinationTypeS3    = "S3"
	// cloudFrontPrefix is what AWS puts before a CloudFront delivery's S3
	// suffix path when the bucket ARN carries no key prefix of its own.
	cloudFrontPrefix = "AWSLogs/{account-id}/CloudFront/"
)

// CreateDelivery pairs a delivery source with a delivery destination,
// filling unset configuration from the matching configuration template.
func (s *Service) CreateDelivery(ctx context.Context, sc model.Scope, in *api.CreateDeliveryInput) (*api.CreateDeliveryOutput, error) {
	destArn := deref(in.DeliveryDestinationArn)
	var d model.Delivery
	err := s.store.Update(ctx, func(tx store.Tx) error {
		src, err := tx.Source(sc, deref(in.DeliverySourceName))
		if err != nil {
			return notFound(err, msgSourceNotFound)
		}
		dst, err := s.destinationFor(tx, sc, destArn, src, in.Tags)
		if err != nil {
			return err
		}
		tmpl, err := s.template(src, dst.Type)
		if err != nil {
			return err
		}
		if prior, err := tx.DeliveriesOfSource(sc, src.Name); err != nil {
			return err
		} else if err := sameTypeConflict(prior, dst); err != nil {
			return err
		}
		d = model.Delivery{
			SourceName:      src.Name,
			DestinationArn:  destArn,
			DestinationType: dst.Type,
			Tags:            maps.Clone(in.Tags),
		}
		if err := configure(&d, tmpl, in.RecordFields, in.FieldDelimiter, in.S3DeliveryConfiguration); err != nil {
			return err
		}
		if in.RecordFields == nil && tmpl.Defaults.RecordFields != nil {
			d.RecordFields = slices.Clone(tmpl.Defaults.RecordFields)
		}
		if d.DestinationType == destinationTypeS3 {
			d.S3 = createS3Config(in.S3DeliveryConfiguration, tmpl, src, dst)
		}
		if err := s.checkQuota(sc, s.quotas.Deliveries, "deliveries", tx.CountDeliveries); err != nil {
			return err
		}
		d.ID = s.newID()
		d.Arn = model.LogsARN(sc, model.KindDelivery, d.ID)
		if err := tx.PutDelivery(sc, d); errors.Is(err, store.ErrConflict) {
			return awserr.New(awserr.Conflict, msgSameTypeExists)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err := s.finish(ctx, "CreateDelivery", err); err != nil {
		return nil, err
	}
	return &api.CreateDeliveryOutput{Delivery: deliveryOut(d, true)}, nil
}

// destinationFor resolves a delivery destination ARN for a caller in sc
// delivering from src. A destination in another account must have a policy
// that lets the caller create deliveries to it (requestTags are the tags
// the request sets, for aws:RequestTag and aws:TagKeys).
func (s *Service) destinationFor(tx store.Tx, sc model.Scope, arn string, src model.DeliverySource, requestTags map[string]string) (model.DeliveryDestination, error) {
	dsc, kind, name, ok := model.ParseLogsARN(arn)
	if !ok || kind != model.KindDestination || dsc.Region != sc.Region {
		return model.DeliveryDestination{}, awserr.New(awserr.ResourceNotFound, msgDestinationNotFound)
	}
	dst, err := tx.Destination(dsc, name)
	if err != nil {
		return dst, notFound(err, msgDestinationNotFound)
	}
	if dst.Arn != arn {
		// Same account, region and name but another partition spelling.
		return dst, awserr.New(awserr.ResourceNotFound, msgDestinationNotFound)
	}
	if dsc.Account != sc.Account {
		return dst, s.authorizeDelivery(sc, src, dst, dsc.Account, requestTags)
	}
	return dst, nil
}

// authorizeDelivery evaluates the policy of dst, a destination of account
// owner, for the caller of sc (its account's root principal) performing
// logs:CreateDelivery on it, with the request context of
// auth-and-policies.md §4.8: CloudWatch Logs acts on behalf of the delivery
// source, so aws:SourceAccount and aws:SourceArn name src. No policy, or
// no Allow, or a Deny → AccessDeniedException in IAM's wording.
func (s *Service) authorizeDelivery(sc model.Scope, src model.DeliverySource, dst model.DeliveryDestination, owner string, requestTags map[string]string) error {
	principal := "arn:" + model.Partition(sc.Region) + ":iam::" + sc.Account + ":root"
	now := s.now()
	keys := map[string][]string{
		"aws:PrincipalAccount": {sc.Account},
		"aws:PrincipalArn":     {principal},
		"aws:PrincipalType":    {"Account"},
		"aws:SourceAccount":    {sc.Account},
		"aws:SourceArn":        {src.Arn},
		"aws:ResourceAccount":  {owner},
		"aws:RequestedRegion":  {sc.Region},
		"aws:CurrentTime":      {now.UTC().Format(time.RFC3339)},
		"aws:EpochTime":        {strconv.FormatInt(now.Unix(), 10)},
	}
	if org := s.orgs[sc.Account]; org != "" {
		keys["aws:PrincipalOrgID"] = []string{org}
	}
	for k, v := range dst.Tags {
		keys["aws:ResourceTag/"+k] = []string{v}
	}
	if len(requestTags) > 0 {
		for k, v := range requestTags {
			keys["aws:RequestTag/"+k] = []string{v}
		}
		keys["aws:TagKeys"] = slices.Sorted(maps.Keys(requestTags))
	}
	var allowed, denied bool
	if dst.Policy != "" {
		allowed, denied = s.authz.Evaluate(dst.Policy, principal, actionCreateDelivery, dst.Arn, keys)
	}
	if allowed {
		return nil
	}
	why := " because no resource-based policy allows the " + actionCreateDelivery + " action"
	if denied {
		why = " with an explicit deny in a resource-based policy"
	}
	return awserr.New(awserr.AccessDenied,
		"User: "+principal+" is not authorized to perform: "+actionCreateDelivery+" on resource: "+dst.Arn+why)
}

// template finds the configuration template for a source's logs going to a
// destination type; its absence means the pairing is not supported.
func (s *Service) template(src model.DeliverySource, destType string) (catalog.Template, error) {
	_, resourceType, _ := s.catalog.ResolveResource(src.ResourceArn)
	t, ok := s.catalog.Lookup(src.Service, src.LogType, resourceType, destType)
	if !ok {
		return t, awserr.New(awserr.Validation,
			"Delivery of "+src.LogType+" logs from "+src.Service+" to a delivery destination of type "+destType+" is not supported.")
	}
	return t, nil
}

// sameTypeConflict enforces at most one delivery per (source, destination type).
func sameTypeConflict(prior []model.Delivery, dst model.DeliveryDestination) error {
	for _, p := range prior {
		if p.DestinationArn == dst.Arn {
			return awserr.New(awserr.Conflict, msgDeliveryExists)
		}
		if p.DestinationType == dst.Type {
			return awserr.New(awserr.Conflict, msgSameTypeExists)
		}
	}
	return nil
}

// configure validates and applies the recordFields, fieldDelimiter and S3
// configuration a caller sent (nil means "not sent") to d.
func configure(d *model.Delivery, t catalog.Template, fields []string, delim *string, s3 *api.S3DeliveryConfiguration) error {
	if fields != nil {
		if msg := t.CheckRecordFields(fields); msg != "" {
			return awserr.New(awserr.Validation, msg)
		}
		d.RecordFields = slices.Clone(fields)
	}
	if delim != nil {
		if msg := t.CheckFieldDelimiter(*delim); msg != "" {
			return awserr.New(awserr.Validation, msg)
		}
		d.FieldDelimiter = ptr(*delim)
	}
	if s3 == nil {
		return nil
	}
	if d.DestinationType != destinationTypeS3 {
		return awserr.New(awserr.Validation, "s3DeliveryConfiguration is only valid for a delivery to an S3 delivery destination.")
	}
	// Check the configuration the delivery will have: what was sent over
	// what an update keeps.
	var path string
	var hive bool
	if d.S3 != nil {
		path, hive = d.S3.SuffixPath, d.S3.Hive
	}
	if s3.SuffixPath != nil {
		path = *s3.SuffixPath
	}
	if s3.EnableHiveCompatiblePath != nil {
		hive = *s3.EnableHiveCompatiblePath
	}
	if msg := t.CheckS3DeliveryConfiguration(path, hive); msg != "" {
		return awserr.New(awserr.Validation, msg)
	}
	return nil
}

// createS3Config is the S3 configuration of a new delivery: the caller's,
// else the template default; for CloudFront into a bucket without a key
// prefix AWS puts AWSLogs/{account-id}/CloudFront/ before the caller's path.
func createS3Config(in *api.S3DeliveryConfiguration, t catalog.Template, src model.DeliverySource, dst model.DeliveryDestination) *model.S3Config {
	c := &model.S3Config{}
	if t.Defaults.S3 != nil {
		c.SuffixPath, c.Hive = t.Defaults.S3.SuffixPath, t.Defaults.S3.EnableHiveCompatiblePath
	}
	if in == nil {
		return c
	}
	if in.SuffixPath != nil {
		c.SuffixPath = *in.SuffixPath
		if src.Service == "cloudfront" && !hasKeyPrefix(dst.ResourceArn) && !strings.HasPrefix(c.SuffixPath, "AWSLogs/") {
			c.SuffixPath = cloudFrontPrefix + c.SuffixPath
		}
	}
	if in.EnableHiveCompatiblePath != nil {
		c.Hive = *in.EnableHiveCompatiblePath
	}
	return c
}

// hasKeyPrefix reports whether an S3 ARN names a key prefix after its bucket.
func hasKeyPrefix(s3Arn string) bool {
	a, ok := model.ParseARN(s3Arn)
	if !ok {
		return false
	}
	_, prefix, found := strings.Cut(a.Resource, "/")
	return found && prefix != ""
}

// GetDelivery returns one delivery, without its tags as AWS does.
func (s *Service) GetDelivery(ctx context.Context, sc model.Scope, in *api.GetDeliveryInput) (*api.GetDeliveryOutput, error) {
	var d model.Delivery
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		d, err = tx.Delivery(sc, deref(in.Id))
		return notFound(err, msgDeliveryNotFound)
	})
	if err := s.finish(ctx, "GetDelivery", err); err != nil {
		return nil, err
	}
	return &api.GetDeliveryOutput{Delivery: deliveryOut(d, false)}, nil
}

// DescribeDeliveries lists the caller's deliveries by id.
func (s *Service) DescribeDeliveries(ctx context.Context, sc model.Scope, in *api.DescribeDeliveriesInput) (*api.DescribeDeliveriesOutput, error) {
	out := &api.DescribeDeliveriesOutput{Deliveries: []api.Delivery{}}
	p, err := newPager(store.Listing("deliveries", sc.Account, sc.Region), in.NextToken, in.Limit, awserr.Validation)
	if err != nil {
		return nil, err
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		items, err := tx.ListDeliveries(sc, p.after, p.limit+1)
		if err != nil {
			return err
		}
		for _, v := range page(p, items, func(v model.Delivery) string { return v.ID }) {
			out.Deliveries = append(out.Deliveries, *deliveryOut(v, false))
		}
		return nil
	})
	if err := s.finish(ctx, "DescribeDeliveries", err); err != nil {
		return nil, err
	}
	out.NextToken = p.next
	return out, nil
}

// DeleteDelivery removes the pairing; source and destination stay.
func (s *Service) DeleteDelivery(ctx context.Context, sc model.Scope, in *api.DeleteDeliveryInput) (*api.DeleteDeliveryOutput, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		return notFound(tx.DeleteDelivery(sc, deref(in.Id)), msgDeliveryNotFound)
	})
	if err := s.finish(ctx, "DeleteDelivery", err); err != nil {
		return nil, err
	}
	return &api.DeleteDeliveryOutput{}, nil
}

// UpdateDeliveryConfiguration changes what a delivery writes: the members
// sent replace the stored ones, the others stay. A suffix path is stored
// exactly as sent (AWS adds no CloudFront prefix on update).
func (s *Service) UpdateDeliveryConfiguration(ctx context.Context, sc model.Scope, in *api.UpdateDeliveryConfigurationInput) (*api.UpdateDeliveryConfigurationOutput, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := tx.Delivery(sc, deref(in.Id))
		if err != nil {
			return notFound(err, msgDeliveryNotFound)
		}
		src, err := tx.Source(sc, d.SourceName)
		if err != nil {
			return err // a delivery's source cannot be deleted while it exists
		}
		// The caller's permission to deliver into another account's
		// destination is checked again, as on CreateDelivery: the
		// destination's owner may have changed or removed its policy.
		if _, err := s.destinationFor(tx, sc, d.DestinationArn, src, nil); err != nil {
			return err
		}
		tmpl, err := s.template(src, d.DestinationType)
		if err != nil {
			return err
		}
		d = d.Clone()
		if err := configure(&d, tmpl, in.RecordFields, in.FieldDelimiter, in.S3DeliveryConfiguration); err != nil {
			return err
		}
		if c := in.S3DeliveryConfiguration; c != nil {
			if d.S3 == nil {
				d.S3 = &model.S3Config{}
			}
			if c.SuffixPath != nil {
				d.S3.SuffixPath = *c.SuffixPath
			}
			if c.EnableHiveCompatiblePath != nil {
				d.S3.Hive = *c.EnableHiveCompatiblePath
			}
		}
		return tx.PutDelivery(sc, d)
	})
	if err := s.finish(ctx, "UpdateDeliveryConfiguration", err); err != nil {
		return nil, err
	}
	return &api.UpdateDeliveryConfigurationOutput{}, nil
}

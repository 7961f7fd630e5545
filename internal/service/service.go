// Package service holds the business rules of the log-delivery API: what
// each operation checks, derives, stores and answers. Operations take the
// caller's scope and the decoded, shape-validated input, and return the
// output or an *awserr.Error.
//
// It imports api, awserr, catalog, model and store.
package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/catalog"
	"github.com/cwlogd/cwlogd/internal/store"
)

// Quotas caps how many resources of each kind one account may hold in one
// region. Zero means no cap.
type Quotas struct {
	Sources      int
	Destinations int
	Deliveries   int
	LogGroups    int
}

// DefaultQuotas are generous: far above what a test suite creates, low
// enough to stop a runaway loop.
var DefaultQuotas = Quotas{Sources: 1_000_000, Destinations: 1_000_000, Deliveries: 1_000_000, LogGroups: 1_000_000}

// Authorizer decides whether a resource policy lets a principal act.
type Authorizer interface {
	// Valid reports whether doc is a policy document cwlogd accepts.
	Valid(doc string) bool
	// Evaluate decides whether doc lets principal (an account id or an IAM
	// principal ARN) perform action on resource, in a request whose
	// condition keys (aws:SourceAccount, aws:ResourceTag/…) have the given
	// values. allowed: an Allow statement applies and no Deny does;
	// explicitDeny: a Deny statement applies.
	Evaluate(doc, principal, action, resource string, keys map[string][]string) (allowed, explicitDeny bool)
}

// Config wires a Service.
type Config struct {
	Store      store.Store
	Catalog    *catalog.Catalog
	Authorizer Authorizer
	Quotas     Quotas
	// Orgs maps account ids to the AWS Organizations id they belong to
	// (aws:PrincipalOrgID); accounts not in it are in none.
	Orgs map[string]string
	// NewID returns a fresh delivery id; nil uses 16 random alphanumerics.
	NewID func() string
	// Now is the clock; nil uses time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service implements the log-delivery operations.
type Service struct {
	store   store.Store
	catalog *catalog.Catalog
	authz   Authorizer
	orgs    map[string]string
	quotas  Quotas
	newID   func() string
	now     func() time.Time
	log     *slog.Logger
}

// New returns a Service.
func New(c Config) (*Service, error) {
	if c.Store == nil || c.Catalog == nil || c.Authorizer == nil {
		return nil, errors.New("service: store, catalog and authorizer are required")
	}
	s := &Service{store: c.Store, catalog: c.Catalog, authz: c.Authorizer, orgs: c.Orgs, quotas: c.Quotas, newID: c.NewID, now: c.Now, log: c.Logger}
	if s.newID == nil {
		s.newID = RandomID
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// RandomID returns 16 random characters of [A-Za-z0-9], the form of AWS
// delivery ids.
func RandomID() string {
	var b [16]byte
	// 256 % 62 != 0; rejecting bytes >= 248 keeps the choice uniform.
	out := make([]byte, 0, 16)
	for len(out) < 16 {
		rand.Read(b[:])
		for _, c := range b {
			if c < 248 && len(out) < 16 {
				out = append(out, idAlphabet[int(c)%62])
			}
		}
	}
	return string(out)
}

// internal turns an unexpected failure into the opaque AWS error, logging
// the cause for the operator.
func (s *Service) internal(ctx context.Context, op string, err error) *awserr.Error {
	s.log.ErrorContext(ctx, "operation failed", "op", op, "err", err)
	return awserr.Internal()
}

// finish maps the error a transaction returned to the answer: AWS errors
// pass through, anything else is internal.
func (s *Service) finish(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var ae *awserr.Error
	if errors.As(err, &ae) {
		return ae
	}
	if errors.Is(err, store.ErrConflict) {
		return awserr.New(awserr.Conflict, msgBusy)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return awserr.New(awserr.ServiceUnavailable, "The service cannot complete the request.")
	}
	return s.internal(ctx, op, fmt.Errorf("%s: %w", op, err))
}

// Messages AWS sends (see docs/api-behaviour.md for their provenance).
const (
	msgSourceNotFound      = "Requested Delivery Source does not exist in this account."
	msgDestinationNotFound = "Requested Delivery Destination does not exist in this account."
	msgDeliveryNotFound    = "Requested Delivery does not exist in this account."
	msgServiceNotAllowed   = "Cannot access provided service."
	msgLogTypeNotAllowed   = " This service is not allowed for this LogSource."
	msgTagsOnUpdate        = "Tags can only be provided when a resource is being created, not updated."
	msgNewResourceID       = "Update to existing Delivery Source with new ResourceId is not allowed. Please create a new Delivery Source instead."
	msgNewLogType          = "Update to existing Delivery Source with new LogType is not allowed. Please create a new Delivery Source instead."
	msgNewOutputFormat     = "Update to existing Delivery Destination with new Output Format is not allowed. Please create a new Delivery Destination instead."
	msgNewDestinationType  = "Update to existing Delivery Destination with new Delivery Destination Type is not allowed. Please create a new Delivery Destination instead."
	msgInvalidPolicy       = "Invalid Delivery Destination resource Policy is provided."
	msgDeliveryExists      = "The specified Delivery already exists"
	msgSameTypeExists      = "Delivery already exists for this Delivery Source with the same Delivery Destination Type."
	msgSourceInUse         = "Delivery Source is currently used by one or more Deliveries and cannot be deleted. Delete those Deliveries first."
	msgDestinationInUse    = "Delivery Destination is currently used by one or more Deliveries and cannot be deleted. Delete those Deliveries first."
	msgInvalidNextToken    = "The specified nextToken is invalid."
	msgTooManyTags         = "A resource can have no more than 50 tags."
	msgResourceNotFound    = "The specified resource does not exist."
	msgBusy                = "Requested resource is currently being updated. Please try again later."

	msgGroupNotFound         = "The specified log group does not exist."
	msgStreamNotFound        = "The specified log stream does not exist."
	msgGroupExists           = "The specified log group already exists"
	msgStreamExists          = "The specified log stream already exists"
	msgNameTooLong           = "Invalid LogGroup or LogStream, both must have length less than or equal to 512."
	msgReservedGroupName     = "Log group names cannot start with 'aws/'."
	msgResourceLimit         = "Resource limit exceeded."
	msgDeletionProtected     = "Log group deletion protection is enabled. Disable deletion protection before deleting the log group."
	msgPrefixAndPattern      = "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."
	msgIdentifiersAndFilters = "LogGroup identifiers cannot be combined with a LogGroup name prefix or pattern."
	msgNameAndIdentifier     = "LogGroup name and LogGroup ARN are mutually exclusive parameters."
	msgNoGroupParam          = "Either logGroupName or logGroupIdentifier must be specified."
	msgOrderWithPrefix       = "Cannot order by LastEventTime with a logStreamNamePrefix."
)

// nowMillis is the service clock in milliseconds since the epoch.
func (s *Service) nowMillis() int64 { return s.now().UnixMilli() }

func quotaExceeded(kind string, n int) *awserr.Error {
	return awserr.New(awserr.ServiceQuotaExceeded,
		fmt.Sprintf("You have reached the maximum number of %s (%d) allowed in this account and region.", kind, n))
}

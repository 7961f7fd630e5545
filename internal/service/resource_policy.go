package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// maxAccountPolicies is AWS's fixed quota of account-scoped resource
// policies per account and region.
const maxAccountPolicies = 10

// Policy scopes.
const (
	scopeAccount  = "ACCOUNT"
	scopeResource = "RESOURCE"
)

const msgRevisionMismatch = "The expectedRevisionId does not match the current revision of the resource policy."

// PutResourcePolicy creates or replaces a resource policy: account-scoped,
// or attached to one log group when resourceArn is given.
func (s *Service) PutResourcePolicy(ctx context.Context, sc model.Scope, in *api.PutResourcePolicyInput) (*api.PutResourcePolicyOutput, error) {
	var missing []string
	if in.PolicyName == nil {
		missing = append(missing, "policyName")
	}
	if in.PolicyDocument == nil {
		missing = append(missing, "policyDocument")
	}
	if msg := nullMembers(missing...); msg != "" {
		return nil, awserr.New(awserr.InvalidParameter, msg)
	}
	doc := *in.PolicyDocument
	if !json.Valid([]byte(doc)) {
		return nil, awserr.New(awserr.InvalidParameter, "Policy document is not valid JSON.")
	}
	p := model.ResourcePolicy{Name: *in.PolicyName, Document: doc, LastUpdatedTime: s.nowMillis()}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if in.ResourceArn == nil {
			return s.putAccountPolicy(tx, sc, p)
		}
		return s.putGroupPolicy(tx, sc, &p, *in.ResourceArn, in.ExpectedRevisionId)
	})
	if err := s.finish(ctx, "PutResourcePolicy", err); err != nil {
		return nil, err
	}
	out := &api.PutResourcePolicyOutput{ResourcePolicy: policyOut(p, doc)}
	if p.ResourceArn != "" {
		out.RevisionId = ptr(p.RevisionID)
	}
	return out, nil
}

func (s *Service) putAccountPolicy(tx store.Tx, sc model.Scope, p model.ResourcePolicy) error {
	have, err := tx.ResourcePolicies(sc, "")
	if err != nil {
		return err
	}
	exists := slices.ContainsFunc(have, func(h model.ResourcePolicy) bool { return h.Name == p.Name })
	if !exists && len(have) >= maxAccountPolicies {
		return awserr.New(awserr.LimitExceeded, msgResourceLimit)
	}
	return tx.PutResourcePolicy(sc, p)
}

// putGroupPolicy attaches p to the log group arn: one policy per group,
// replaced only by a caller that names its current revision.
func (s *Service) putGroupPolicy(tx store.Tx, sc model.Scope, p *model.ResourcePolicy, arn string, expected *string) error {
	name, ok := groupNameOf(sc, arn)
	if !ok || !isARN(arn) {
		return awserr.New(awserr.ResourceNotFound, msgGroupNotFound)
	}
	if _, err := tx.LogGroup(sc, name); err != nil {
		return groupNotFound(err)
	}
	have, err := tx.ResourcePolicies(sc, arn)
	if err != nil {
		return err
	}
	if len(have) > 0 {
		if expected == nil || *expected != have[0].RevisionID {
			return awserr.New(awserr.OperationAborted, msgRevisionMismatch)
		}
		if have[0].Name != p.Name {
			if err := tx.DeleteResourcePolicy(sc, arn, have[0].Name); err != nil {
				return err
			}
		}
	}
	p.ResourceArn = arn
	p.RevisionID = s.newID()
	return tx.PutResourcePolicy(sc, *p)
}

func isARN(s string) bool { _, ok := model.ParseARN(s); return ok }

// DescribeResourcePolicies lists the account-scoped policies, or the policy
// of one log group.
func (s *Service) DescribeResourcePolicies(ctx context.Context, sc model.Scope, in *api.DescribeResourcePoliciesInput) (*api.DescribeResourcePoliciesOutput, error) {
	arn := deref(in.ResourceArn)
	if deref(in.PolicyScope) == scopeResource && arn == "" {
		return nil, awserr.New(awserr.InvalidParameter, "resourceArn is required when policyScope is RESOURCE.")
	}
	p, err := newPager(store.Listing("resource-policies", sc.Account, sc.Region, arn), in.NextToken, in.Limit, awserr.InvalidParameter)
	if err != nil {
		return nil, err
	}
	var list []model.ResourcePolicy
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		list, err = tx.ResourcePolicies(sc, arn)
		return err
	})
	if err := s.finish(ctx, "DescribeResourcePolicies", err); err != nil {
		return nil, err
	}
	i, _ := slices.BinarySearchFunc(list, p.after, func(v model.ResourcePolicy, after string) int {
		if v.Name <= after {
			return -1
		}
		return 1
	})
	list = page(p, list[i:], func(v model.ResourcePolicy) string { return v.Name })
	out := &api.DescribeResourcePoliciesOutput{ResourcePolicies: make([]api.ResourcePolicy, 0, len(list)), NextToken: p.next}
	for _, v := range list {
		out.ResourcePolicies = append(out.ResourcePolicies, *policyOut(v, normalizePolicy(v.Document)))
	}
	return out, nil
}

// DeleteResourcePolicy deletes an account-scoped policy by name, or a log
// group's policy by ARN and revision.
func (s *Service) DeleteResourcePolicy(ctx context.Context, sc model.Scope, in *api.DeleteResourcePolicyInput) (*api.DeleteResourcePolicyOutput, error) {
	name, arn := deref(in.PolicyName), deref(in.ResourceArn)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if arn == "" {
			if in.PolicyName == nil {
				return awserr.New(awserr.InvalidParameter, "Either policyName or resourceArn must be specified.")
			}
			err := tx.DeleteResourcePolicy(sc, "", name)
			if errors.Is(err, store.ErrNotFound) {
				return awserr.New(awserr.ResourceNotFound, "Policy with name ["+name+"] does not exist.")
			}
			return err
		}
		have, err := tx.ResourcePolicies(sc, arn)
		if err != nil {
			return err
		}
		if len(have) == 0 || (in.PolicyName != nil && have[0].Name != name) {
			return awserr.New(awserr.ResourceNotFound, "Policy with name ["+name+"] does not exist.")
		}
		if in.ExpectedRevisionId == nil || *in.ExpectedRevisionId != have[0].RevisionID {
			return awserr.New(awserr.OperationAborted, msgRevisionMismatch)
		}
		return tx.DeleteResourcePolicy(sc, arn, have[0].Name)
	})
	if err := s.finish(ctx, "DeleteResourcePolicy", err); err != nil {
		return nil, err
	}
	return &api.DeleteResourcePolicyOutput{}, nil
}

func policyOut(p model.ResourcePolicy, doc string) *api.ResourcePolicy {
	out := &api.ResourcePolicy{
		PolicyName:      ptr(p.Name),
		PolicyDocument:  ptr(doc),
		LastUpdatedTime: ptr(p.LastUpdatedTime),
		PolicyScope:     ptr(scopeAccount),
	}
	if p.ResourceArn != "" {
		out.PolicyScope = ptr(scopeResource)
		out.ResourceArn = ptr(p.ResourceArn)
		out.RevisionId = ptr(p.RevisionID)
	}
	return out
}

// nullMembers returns the Coral message for members the model leaves
// optional but the service requires, given the names of those missing, or
// "" when none is.
func nullMembers(missing ...string) string {
	msgs := make([]string, len(missing))
	for i, m := range missing {
		msgs[i] = "Value null at '" + m + "' failed to satisfy constraint: Member must not be null"
	}
	switch len(msgs) {
	case 0:
		return ""
	case 1:
		return "1 validation error detected: " + msgs[0]
	}
	return fmt.Sprintf("%d validation errors detected: %s", len(msgs), strings.Join(msgs, "; "))
}

// normalizePolicy renders a stored document as DescribeResourcePolicies
// does: compact, keys in IAM's order (Version, Statement; Sid, Effect,
// Principal, Action, Resource, Condition), a missing Version filled in as
// "2008-10-17", one-element Principal lists collapsed to a string.
func normalizePolicy(doc string) string {
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return doc
	}
	m, ok := v.(map[string]any)
	if !ok {
		return doc
	}
	if _, ok := m["Version"]; !ok {
		m["Version"] = "2008-10-17"
	}
	stmts, _ := m["Statement"].([]any)
	if st, ok := m["Statement"].(map[string]any); ok {
		stmts = []any{st}
	}
	for _, st := range stmts {
		if st, ok := st.(map[string]any); ok {
			if pr, ok := st["Principal"].(map[string]any); ok {
				for k, list := range pr {
					if l, ok := list.([]any); ok && len(l) == 1 {
						pr[k] = l[0]
					}
				}
			}
		}
	}
	var b bytes.Buffer
	writeOrdered(&b, m, []string{"Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"})
	return b.String()
}

// writeOrdered writes v as compact JSON with the keys of objects in order
// first, then the rest sorted.
func writeOrdered(b *bytes.Buffer, v any, order []string) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for _, k := range order {
			if _, ok := v[k]; ok {
				keys = append(keys, k)
			}
		}
		var rest []string
		for k := range v {
			if !slices.Contains(order, k) {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		keys = append(keys, rest...)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, k)
			b.WriteByte(':')
			writeOrdered(b, v[k], order)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeOrdered(b, e, order)
		}
		b.WriteByte(']')
	default:
		writeJSON(b, v)
	}
}

// writeJSON writes a scalar as JSON, leaving <, > and & as they are.
func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	b.Truncate(b.Len() - 1) // Encode's newline
}

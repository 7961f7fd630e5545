package service

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// classStandard is the log group class when the caller names none.
const classStandard = "STANDARD"

// maxNameLen is the longest log group or stream name.
const maxNameLen = 512

// CheckLogNames answers an over-long log group or stream name the way AWS
// does on CreateLogGroup and CreateLogStream: with its own sentence, before
// the generic constraint messages.
func CheckLogNames(group, stream *string) error {
	if (group != nil && len([]rune(*group)) > maxNameLen) || (stream != nil && len([]rune(*stream)) > maxNameLen) {
		return awserr.New(awserr.InvalidParameter, msgNameTooLong)
	}
	return nil
}

// CreateLogGroup creates a log group.
func (s *Service) CreateLogGroup(ctx context.Context, sc model.Scope, in *api.CreateLogGroupInput) (*api.CreateLogGroupOutput, error) {
	name := deref(in.LogGroupName)
	if strings.HasPrefix(name, "aws/") {
		return nil, awserr.New(awserr.InvalidParameter, msgReservedGroupName)
	}
	if in.KmsKeyId != nil {
		if a, ok := model.ParseARN(*in.KmsKeyId); !ok || a.Service != "kms" || !strings.HasPrefix(a.Resource, "key/") {
			return nil, awserr.New(awserr.InvalidParameter, "Invalid KMS key ARN: "+*in.KmsKeyId)
		}
	}
	g := model.LogGroup{
		Name:               name,
		Arn:                groupArn(sc, name),
		CreationTime:       s.nowMillis(),
		KmsKeyID:           deref(in.KmsKeyId),
		Class:              classStandard,
		DeletionProtection: in.DeletionProtectionEnabled != nil && *in.DeletionProtectionEnabled,
		Tags:               maps.Clone(in.Tags),
	}
	if in.LogGroupClass != nil {
		g.Class = *in.LogGroupClass
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.LogGroup(sc, name); err == nil {
			return awserr.New(awserr.ResourceAlreadyExists, msgGroupExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if limit := s.quotas.LogGroups; limit > 0 {
			n, err := tx.CountLogGroups(sc)
			if err != nil {
				return err
			}
			if n >= limit {
				return awserr.New(awserr.LimitExceeded, msgResourceLimit)
			}
		}
		if err := tx.CreateLogGroup(sc, g); errors.Is(err, store.ErrConflict) {
			return awserr.New(awserr.ResourceAlreadyExists, msgGroupExists)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err := s.finish(ctx, "CreateLogGroup", err); err != nil {
		return nil, err
	}
	return &api.CreateLogGroupOutput{}, nil
}

// DeleteLogGroup deletes a log group with its streams, events and resource
// policy. A delivery destination pointing at it stays: the delivery engine
// treats the missing group as a retryable failure, as AWS does.
func (s *Service) DeleteLogGroup(ctx context.Context, sc model.Scope, in *api.DeleteLogGroupInput) (*api.DeleteLogGroupOutput, error) {
	name := deref(in.LogGroupName)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		g, err := tx.LogGroup(sc, name)
		if err != nil {
			return groupNotFound(err)
		}
		if g.DeletionProtection {
			return awserr.New(awserr.Validation, msgDeletionProtected)
		}
		return groupNotFound(tx.DeleteLogGroup(sc, name))
	})
	if err := s.finish(ctx, "DeleteLogGroup", err); err != nil {
		return nil, err
	}
	return &api.DeleteLogGroupOutput{}, nil
}

// groupScan reads the groups of a scope in name order, from after, in
// chunks, passing each to keep until keep says stop.
func groupScan(tx store.Tx, sc model.Scope, prefix, after string, keep func(model.LogGroup) (more bool)) error {
	const chunk = 500
	for {
		gs, err := tx.ListLogGroups(sc, store.GroupQuery{Prefix: prefix, After: after, Limit: chunk})
		if err != nil {
			return err
		}
		for _, g := range gs {
			if !keep(g) {
				return nil
			}
		}
		if len(gs) < chunk {
			return nil
		}
		after = gs[len(gs)-1].Name
	}
}

// DescribeLogGroups lists log groups by name, filtered by prefix, pattern,
// identifiers or class.
func (s *Service) DescribeLogGroups(ctx context.Context, sc model.Scope, in *api.DescribeLogGroupsInput) (*api.DescribeLogGroupsOutput, error) {
	prefix, pattern := deref(in.LogGroupNamePrefix), in.LogGroupNamePattern
	if in.LogGroupNamePrefix != nil && pattern != nil {
		return nil, awserr.New(awserr.InvalidParameter, msgPrefixAndPattern)
	}
	if len(in.LogGroupIdentifiers) > 0 && (in.LogGroupNamePrefix != nil || pattern != nil) {
		return nil, awserr.New(awserr.InvalidParameter, msgIdentifiersAndFilters)
	}
	// Identifiers name at most 50 groups: they are looked up, not searched
	// for, in name order as every listing is.
	var names []string
	for _, id := range in.LogGroupIdentifiers {
		if name, ok := groupNameOf(sc, id); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	listing := store.Listing("log-groups", sc.Account, sc.Region, prefix, deref(pattern), deref(in.LogGroupClass), strings.Join(in.LogGroupIdentifiers, "\x02"))
	p, err := newPager(listing, in.NextToken, in.Limit, awserr.InvalidParameter)
	if err != nil {
		return nil, err
	}
	var found []model.LogGroup
	keep := func(g model.LogGroup) bool {
		if (pattern == nil || strings.Contains(g.Name, *pattern)) && (in.LogGroupClass == nil || g.Class == *in.LogGroupClass) {
			found = append(found, g)
		}
		return len(found) <= p.limit
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		found = nil
		if len(in.LogGroupIdentifiers) == 0 {
			return groupScan(tx, sc, prefix, p.after, keep)
		}
		for _, name := range names {
			if name <= p.after {
				continue
			}
			g, err := tx.LogGroup(sc, name)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if !keep(g) {
				return nil
			}
		}
		return nil
	})
	if err := s.finish(ctx, "DescribeLogGroups", err); err != nil {
		return nil, err
	}
	found = page(p, found, func(g model.LogGroup) string { return g.Name })
	if pattern != nil && p.next == nil && len(found) > 0 {
		// AWS pages a pattern search differently: a page with matches
		// carries a nextToken even when nothing follows (recorded with one
		// match); the page after it is empty and ends the search.
		tok := store.EncodeToken(listing, found[len(found)-1].Name)
		p.next = &tok
	}
	out := &api.DescribeLogGroupsOutput{LogGroups: make([]api.LogGroup, 0, len(found)), NextToken: p.next}
	for _, g := range found {
		out.LogGroups = append(out.LogGroups, logGroupOut(g, pattern != nil))
	}
	return out, nil
}

// logGroupOut is the DescribeLogGroups item. AWS answers a pattern search
// with a reduced item: no storedBytes, no deletionProtectionEnabled.
func logGroupOut(g model.LogGroup, reduced bool) api.LogGroup {
	out := api.LogGroup{
		LogGroupName:      ptr(g.Name),
		CreationTime:      ptr(g.CreationTime),
		MetricFilterCount: ptr(int32(0)),
		Arn:               ptr(g.Arn + ":*"),
		LogGroupArn:       ptr(g.Arn),
		LogGroupClass:     ptr(g.Class),
		KmsKeyId:          optional(g.KmsKeyID),
	}
	if g.RetentionInDays > 0 {
		out.RetentionInDays = ptr(int32(g.RetentionInDays))
	}
	if !reduced {
		out.StoredBytes = ptr(g.StoredBytes)
		out.DeletionProtectionEnabled = ptr(g.DeletionProtection)
	}
	return out
}

// ListLogGroups lists log group summaries, filtered by name pattern, class
// and tags.
func (s *Service) ListLogGroups(ctx context.Context, sc model.Scope, in *api.ListLogGroupsInput) (*api.ListLogGroupsOutput, error) {
	match := namePatternMatcher(deref(in.LogGroupNamePattern))
	listing := store.Listing("list-log-groups", sc.Account, sc.Region, deref(in.LogGroupNamePattern), deref(in.LogGroupClass), tagFiltersKey(in.LogGroupTags), dataFiltersKey(in))
	p, err := newPager(listing, in.NextToken, in.Limit, awserr.InvalidParameter)
	if err != nil {
		return nil, err
	}
	// cwlogd keeps no data sources or field indexes: filters on them match
	// no group.
	noneMatch := len(in.DataSources) > 0 || len(in.FieldIndexNames) > 0
	var found []model.LogGroup
	err = s.store.View(ctx, func(tx store.Tx) error {
		if noneMatch {
			return nil
		}
		return groupScan(tx, sc, "", p.after, func(g model.LogGroup) bool {
			if match(g.Name) && (in.LogGroupClass == nil || g.Class == *in.LogGroupClass) && tagFiltersMatch(in.LogGroupTags, g.Tags) {
				found = append(found, g)
			}
			return len(found) <= p.limit
		})
	})
	if err := s.finish(ctx, "ListLogGroups", err); err != nil {
		return nil, err
	}
	found = page(p, found, func(g model.LogGroup) string { return g.Name })
	out := &api.ListLogGroupsOutput{LogGroups: make([]api.LogGroupSummary, 0, len(found)), NextToken: p.next}
	for _, g := range found {
		out.LogGroups = append(out.LogGroups, api.LogGroupSummary{LogGroupName: ptr(g.Name), LogGroupArn: ptr(g.Arn), LogGroupClass: ptr(g.Class)})
	}
	return out, nil
}

// namePatternMatcher compiles ListLogGroups' logGroupNamePattern: up to
// five alternatives joined by "|", each a case-sensitive substring, or a
// prefix when it starts with "^".
func namePatternMatcher(pattern string) func(string) bool {
	if pattern == "" {
		return func(string) bool { return true }
	}
	alts := strings.Split(pattern, "|")
	return func(name string) bool {
		for _, a := range alts {
			if p, ok := strings.CutPrefix(a, "^"); ok {
				if strings.HasPrefix(name, p) {
					return true
				}
			} else if strings.Contains(name, a) {
				return true
			}
		}
		return false
	}
}

// tagFiltersMatch applies ListLogGroups' logGroupTags: every filter must
// hold; a filter without values needs the key; with values, one must match:
// "!v" is an exact negation, a value with "*" a case-insensitive wildcard,
// anything else an exact match.
func tagFiltersMatch(filters []api.TagFilter, tags map[string]string) bool {
	for _, f := range filters {
		v, ok := tags[deref(f.Key)]
		if !ok {
			return false
		}
		if len(f.Values) == 0 {
			continue
		}
		hit := false
		for _, want := range f.Values {
			switch {
			case strings.HasPrefix(want, "!"):
				hit = v != want[1:]
			case strings.Contains(want, "*"):
				hit = wildcardFold(want, v)
			default:
				hit = v == want
			}
			if hit {
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// wildcardFold matches s against pattern, where "*" is any run of
// characters, ignoring case.
func wildcardFold(pattern, s string) bool {
	pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, part)
		}
		j := strings.Index(s, part)
		if j < 0 {
			return false
		}
		s = s[j+len(part):]
	}
	return s == ""
}

func tagFiltersKey(filters []api.TagFilter) string {
	var b strings.Builder
	for _, f := range filters {
		b.WriteString(deref(f.Key))
		b.WriteByte(0x02)
		b.WriteString(strings.Join(f.Values, "\x03"))
		b.WriteByte(0x04)
	}
	return b.String()
}

func dataFiltersKey(in *api.ListLogGroupsInput) string {
	var b strings.Builder
	for _, d := range in.DataSources {
		b.WriteString(deref(d.Name) + "\x02" + deref(d.Type) + "\x03")
	}
	return b.String() + "\x04" + strings.Join(in.FieldIndexNames, "\x02")
}

// retentionValues are the retention periods AWS accepts, in the order its
// message lists them.
var retentionValues = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

const msgInvalidRetention = "Invalid retention value. Valid values are: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]"

// PutRetentionPolicy sets how long a group keeps its events.
func (s *Service) PutRetentionPolicy(ctx context.Context, sc model.Scope, in *api.PutRetentionPolicyInput) (*api.PutRetentionPolicyOutput, error) {
	days := *in.RetentionInDays
	valid := false
	for _, v := range retentionValues {
		valid = valid || v == days
	}
	if !valid {
		return nil, awserr.New(awserr.InvalidParameter, msgInvalidRetention)
	}
	err := s.updateGroup(ctx, sc, deref(in.LogGroupName), func(g *model.LogGroup) error {
		g.RetentionInDays = int(days)
		return nil
	})
	if err := s.finish(ctx, "PutRetentionPolicy", err); err != nil {
		return nil, err
	}
	return &api.PutRetentionPolicyOutput{}, nil
}

// DeleteRetentionPolicy makes a group keep its events forever.
func (s *Service) DeleteRetentionPolicy(ctx context.Context, sc model.Scope, in *api.DeleteRetentionPolicyInput) (*api.DeleteRetentionPolicyOutput, error) {
	err := s.updateGroup(ctx, sc, deref(in.LogGroupName), func(g *model.LogGroup) error {
		g.RetentionInDays = 0
		return nil
	})
	if err := s.finish(ctx, "DeleteRetentionPolicy", err); err != nil {
		return nil, err
	}
	return &api.DeleteRetentionPolicyOutput{}, nil
}

// updateGroup reads, edits and writes back one log group.
func (s *Service) updateGroup(ctx context.Context, sc model.Scope, name string, edit func(*model.LogGroup) error) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		g, err := tx.LogGroup(sc, name)
		if err != nil {
			return groupNotFound(err)
		}
		g = g.Clone()
		if err := edit(&g); err != nil {
			return err
		}
		return groupNotFound(tx.UpdateLogGroup(sc, g))
	})
}

// TagLogGroup adds or overwrites tags of a log group (the older API): the
// tag set of TagResource on the group's ARN, but past 50 tags it answers
// InvalidParameterException, the only error it declares.
func (s *Service) TagLogGroup(ctx context.Context, sc model.Scope, in *api.TagLogGroupInput) (*api.TagLogGroupOutput, error) {
	err := s.editTags(ctx, sc, groupArn(sc, deref(in.LogGroupName)), func(tags map[string]string) error {
		maps.Copy(tags, in.Tags)
		if len(tags) > maxTags {
			return awserr.New(awserr.InvalidParameter, msgTooManyTags)
		}
		return nil
	})
	if err := s.finish(ctx, "TagLogGroup", err); err != nil {
		return nil, err
	}
	return &api.TagLogGroupOutput{}, nil
}

// UntagLogGroup removes tags of a log group (the older API).
func (s *Service) UntagLogGroup(ctx context.Context, sc model.Scope, in *api.UntagLogGroupInput) (*api.UntagLogGroupOutput, error) {
	err := s.editTags(ctx, sc, groupArn(sc, deref(in.LogGroupName)), func(tags map[string]string) error {
		for _, k := range in.Tags {
			delete(tags, k)
		}
		return nil
	})
	if err := s.finish(ctx, "UntagLogGroup", err); err != nil {
		return nil, err
	}
	return &api.UntagLogGroupOutput{}, nil
}

// groupArn is the logGroupArn of group name in sc.
func groupArn(sc model.Scope, name string) string { return model.LogsARN(sc, model.KindLogGroup, name) }

// ListTagsLogGroup returns a log group's tags ({} when none).
func (s *Service) ListTagsLogGroup(ctx context.Context, sc model.Scope, in *api.ListTagsLogGroupInput) (*api.ListTagsLogGroupOutput, error) {
	tags := map[string]string{}
	err := s.store.View(ctx, func(tx store.Tx) error {
		g, err := tx.LogGroup(sc, deref(in.LogGroupName))
		if err != nil {
			return groupNotFound(err)
		}
		maps.Copy(tags, g.Tags)
		return nil
	})
	if err := s.finish(ctx, "ListTagsLogGroup", err); err != nil {
		return nil, err
	}
	return &api.ListTagsLogGroupOutput{Tags: tags}, nil
}

// groupNotFound maps store.ErrNotFound to AWS's missing-group error.
func groupNotFound(err error) error { return notFound(err, msgGroupNotFound) }

// groupNameOf resolves a logGroupIdentifier (a name, or a log group ARN
// without ":*") in sc. ok is false for an ARN of another account, region
// or kind: no group of sc has it.
func groupNameOf(sc model.Scope, id string) (string, bool) {
	if !strings.HasPrefix(id, "arn:") {
		return id, true
	}
	rsc, kind, name, ok := model.ParseLogsARN(id)
	if !ok || kind != model.KindLogGroup || rsc != sc || model.LogsARN(rsc, kind, name) != id {
		return "", false
	}
	return name, true
}

// groupParam resolves the logGroupName / logGroupIdentifier pair of the
// event and stream operations.
func groupParam(sc model.Scope, name, id *string) (string, error) {
	switch {
	case name != nil && id != nil:
		return "", awserr.New(awserr.Validation, msgNameAndIdentifier)
	case name != nil:
		return *name, nil
	case id != nil:
		g, ok := groupNameOf(sc, *id)
		if !ok {
			return "", awserr.New(awserr.ResourceNotFound, msgGroupNotFound)
		}
		return g, nil
	}
	return "", awserr.New(awserr.InvalidParameter, msgNoGroupParam)
}

package storetest

// Conformance tests of store.LogTx: log groups, log streams and resource
// policies (events are in logevents.go).
//
// Decisions the interface leaves open, which every store follows:
//
//   - Tags: an empty and a nil Tags map are the same; a store may return
//     either for a group stored with no tags.
//   - UpdateLogGroup stores every field of g but StoredBytes; callers pass a
//     group they read, so Arn and CreationTime do not change in practice
//     and the suite does not change them.
//   - DeleteLogGroup, DeleteLogStream and DeleteResourcePolicy return
//     ErrNotFound when there is nothing to delete; DeleteLogStream also when
//     the group is missing.
//   - Deleting a group deletes the resource policies of the group's scope
//     whose ResourceArn equals the group's Arn exactly (no ":*" form).
//     Policies of other scopes are never touched, and a group whose Arn is
//     "" deletes no policy (in particular not the account-scoped ones).
//   - The store does not check that a policy's ResourceArn names a group.
//   - StoredBytes is the sum of len(Message) (UTF-8 bytes, not runes) of the
//     events the store holds: an event counts until PurgeLogEvents (or a
//     stream or group delete) removes it. Reads take no clock, so an event
//     past its retention that is not purged yet still counts.
//   - Prefix filters compare bytes: a prefix matches a name that starts with
//     the same bytes. '%', '_' and '\' are ordinary characters. A store that
//     scans a range uses name >= Prefix AND name < store.PrefixEnd(Prefix)
//     (no upper bound when PrefixEnd is "").
//   - StreamQuery ordered by name uses only After.Name; Descending by name
//     lists names strictly before After.Name, last first.
//   - A sentinel error (ErrNotFound, ErrConflict) from a LogTx method leaves
//     the transaction usable: fn may go on and commit its other writes.
//   - Names and messages are valid UTF-8 without NUL (PostgreSQL text).

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// Times of the log tests, in milliseconds since the epoch.
const (
	t0  = int64(1_700_000_000_000)
	day = int64(86_400_000)
)

// kindLogGroup is the resource kind of a log group ARN.
const kindLogGroup = "log-group"

func groupARN(sc model.Scope, name string) string { return model.LogsARN(sc, kindLogGroup, name) }

func logGroup(sc model.Scope, name string) model.LogGroup {
	return model.LogGroup{Name: name, Arn: groupARN(sc, name), CreationTime: t0, Class: "STANDARD"}
}

// read runs fn in a View and returns its value, failing t on an error.
func read[T any](t testing.TB, s store.Store, fn func(store.Tx) (T, error)) T {
	t.Helper()
	v, err := readErr(s, fn)
	if err != nil {
		t.Fatalf("view: %v", err)
	}
	return v
}

// readErr runs fn in a View and returns its value and error.
func readErr[T any](s store.Store, fn func(store.Tx) (T, error)) (T, error) {
	var v T
	err := s.View(ctx, func(tx store.Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

func mustUpdate(t testing.TB, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

// makeGroup creates the group name of sc (when missing) and its streams.
func makeGroup(t testing.TB, s store.Store, sc model.Scope, name string, streams ...string) {
	t.Helper()
	mustUpdate(t, s, func(tx store.Tx) error {
		if _, err := tx.LogGroup(sc, name); errors.Is(err, store.ErrNotFound) {
			if err := tx.CreateLogGroup(sc, logGroup(sc, name)); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		for _, st := range streams {
			if err := tx.CreateLogStream(sc, name, model.LogStream{Name: st, CreationTime: t0}); err != nil {
				return fmt.Errorf("stream %s: %w", st, err)
			}
		}
		return nil
	})
}

func getGroup(t testing.TB, s store.Store, sc model.Scope, name string) model.LogGroup {
	t.Helper()
	return read(t, s, func(tx store.Tx) (model.LogGroup, error) { return tx.LogGroup(sc, name) })
}

func getStream(t testing.TB, s store.Store, sc model.Scope, group, name string) model.LogStream {
	t.Helper()
	return read(t, s, func(tx store.Tx) (model.LogStream, error) { return tx.LogStream(sc, group, name) })
}

// normGroup maps empty tags to nil, as stores may return either.
func normGroup(g model.LogGroup) model.LogGroup {
	if len(g.Tags) == 0 {
		g.Tags = nil
	}
	return g
}

func sameGroup(t testing.TB, what string, got, want model.LogGroup) {
	t.Helper()
	if got, want := normGroup(got), normGroup(want); !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func isNotFound(t testing.TB, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: %v, want ErrNotFound", what, err)
	}
}

func groupNames(gs []model.LogGroup) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

func streamNames(ss []model.LogStream) []string {
	out := []string{}
	for _, st := range ss {
		out = append(out, st.Name)
	}
	return out
}

func testLogGroupCRUD(t *testing.T, s store.Store) {
	want := logGroup(scA, "/aws/lambda/fn")
	want.Tags = map[string]string{"team": "a"}
	in := want.Clone()
	in.StoredBytes = 999 // ignored on writes
	mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateLogGroup(scA, in) })
	in.Tags["team"] = "changed" // the store keeps its own copy
	got := getGroup(t, s, scA, want.Name)
	sameGroup(t, "created", got, want)
	got.Tags["team"] = "mutated" // ... and hands out copies
	sameGroup(t, "after mutating a read", getGroup(t, s, scA, want.Name), want)

	err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateLogGroup(scA, logGroup(scA, want.Name)) })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("create twice: %v, want ErrConflict", err)
	}
	sameGroup(t, "after refused create", getGroup(t, s, scA, want.Name), want)
	// Another scope has its own names.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateLogGroup(scB, logGroup(scB, want.Name)) })
	_, err = readErr(s, func(tx store.Tx) (model.LogGroup, error) { return tx.LogGroup(scC, want.Name) })
	isNotFound(t, "LogGroup in another scope", err)
	_, err = readErr(s, func(tx store.Tx) (model.LogGroup, error) { return tx.LogGroup(scA, "missing") })
	isNotFound(t, "LogGroup(missing)", err)

	// Update replaces retention, tags, class, KMS key and protection.
	upd := want.Clone()
	upd.RetentionInDays = 7
	upd.Tags = map[string]string{"team": "b", "ünï": "cødé"}
	upd.Class = "INFREQUENT_ACCESS"
	upd.KmsKeyID = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	upd.DeletionProtection = true
	upd.StoredBytes = 12345 // ignored
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateLogGroup(scA, upd) })
	upd.StoredBytes = 0
	sameGroup(t, "updated", getGroup(t, s, scA, want.Name), upd)
	// ... and back to none.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateLogGroup(scA, want) })
	bare := want.Clone()
	bare.Tags = nil
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateLogGroup(scA, bare) })
	sameGroup(t, "updated back", getGroup(t, s, scA, want.Name), bare)
	if g := getGroup(t, s, scB, want.Name); g.RetentionInDays != 0 || g.Class != "STANDARD" {
		t.Errorf("update reached another scope: %+v", g)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.UpdateLogGroup(scA, logGroup(scA, "missing")) })
	isNotFound(t, "UpdateLogGroup(missing)", err)
	if _, err := readErr(s, func(tx store.Tx) (model.LogGroup, error) { return tx.LogGroup(scA, "missing") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of a missing group created it: %v", err)
	}

	if n := read(t, s, func(tx store.Tx) (int, error) { return tx.CountLogGroups(scA) }); n != 1 {
		t.Errorf("CountLogGroups = %d, want 1", n)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteLogGroup(scA, want.Name) })
	_, err = readErr(s, func(tx store.Tx) (model.LogGroup, error) { return tx.LogGroup(scA, want.Name) })
	isNotFound(t, "after delete", err)
	isNotFound(t, "delete twice", s.Update(ctx, func(tx store.Tx) error { return tx.DeleteLogGroup(scA, want.Name) }))
	if n := read(t, s, func(tx store.Tx) (int, error) { return tx.CountLogGroups(scA) }); n != 0 {
		t.Errorf("CountLogGroups after delete = %d, want 0", n)
	}
	if _, err := readErr(s, func(tx store.Tx) (model.LogGroup, error) { return tx.LogGroup(scB, want.Name) }); err != nil {
		t.Errorf("delete reached another scope: %v", err)
	}
}

// testLogGroupDeleteCascades: deleting a group deletes its streams, their
// events and the policies attached to its ARN, and nothing else; a group
// created again under the name starts empty.
func testLogGroupDeleteCascades(t *testing.T, s store.Store) {
	const g, other = "doomed", "other"
	arn := groupARN(scA, g)
	makeGroup(t, s, scA, g, "s1", "s2")
	makeGroup(t, s, scA, other, "s1")
	appendEvents(t, s, scA, g, "s1", ev(t0, "one"), ev(t0+1, "two"))
	appendEvents(t, s, scA, g, "s2", ev(t0, "three"))
	appendEvents(t, s, scA, other, "s1", ev(t0, "kept"))
	pol := func(resource, name string) model.ResourcePolicy {
		return model.ResourcePolicy{Name: name, Document: `{"Version":"2012-10-17"}`, LastUpdatedTime: t0, ResourceArn: resource}
	}
	mustUpdate(t, s, func(tx store.Tx) error {
		for _, p := range []struct {
			sc model.Scope
			p  model.ResourcePolicy
		}{
			{scA, pol(arn, "p1")}, {scA, pol(arn, "p2")},
			{scA, pol(groupARN(scA, other), "p1")},
			{scA, pol("", "acct")},
			{scB, pol(arn, "p1")}, // another scope, same ARN string: not the group's
		} {
			if err := tx.PutResourcePolicy(p.sc, p.p); err != nil {
				return err
			}
		}
		return nil
	})

	// Updating keeps streams, events and policies.
	upd := logGroup(scA, g)
	upd.RetentionInDays = 30
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateLogGroup(scA, upd) })
	if got := getGroup(t, s, scA, g); got.StoredBytes != int64(len("onetwothree")) || got.RetentionInDays != 30 {
		t.Errorf("after update: %+v, want StoredBytes %d", got, len("onetwothree"))
	}
	if evs := allEvents(t, s, scA, g, store.EventQuery{}); len(evs) != 3 {
		t.Errorf("after update: %d events, want 3", len(evs))
	}

	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteLogGroup(scA, g) })
	err := s.View(ctx, func(tx store.Tx) error {
		_, err := tx.LogStream(scA, g, "s1")
		isNotFound(t, "LogStream of a deleted group", err)
		_, err = tx.ListLogStreams(scA, g, store.StreamQuery{Limit: 10})
		isNotFound(t, "ListLogStreams of a deleted group", err)
		_, err = tx.LogEvents(scA, g, store.EventQuery{Limit: 10})
		isNotFound(t, "LogEvents of a deleted group", err)
		if ps, err := tx.ResourcePolicies(scA, arn); err != nil || len(ps) != 0 {
			t.Errorf("policies of a deleted group: %v, %v", ps, err)
		}
		if ps, _ := tx.ResourcePolicies(scA, ""); len(ps) != 1 {
			t.Errorf("account policies after a group delete: %v", ps)
		}
		if ps, _ := tx.ResourcePolicies(scA, groupARN(scA, other)); len(ps) != 1 {
			t.Errorf("other group's policies after a group delete: %v", ps)
		}
		if ps, _ := tx.ResourcePolicies(scB, arn); len(ps) != 1 {
			t.Errorf("scope B policy under the same ARN after a group delete in scope A: %v", ps)
		}
		if evs, err := tx.LogEvents(scA, other, store.EventQuery{Limit: 10}); err != nil || len(evs) != 1 || evs[0].Message != "kept" {
			t.Errorf("other group's events: %v, %v", evs, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	isNotFound(t, "AppendLogEvents to a deleted group", s.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AppendLogEvents(scA, g, "s1", []model.LogEvent{ev(t0, "x")})
		return err
	}))

	// Recreated, it starts empty.
	makeGroup(t, s, scA, g, "s1")
	if got := getGroup(t, s, scA, g); got.StoredBytes != 0 || got.RetentionInDays != 0 {
		t.Errorf("recreated group = %+v, want no retention and StoredBytes 0", got)
	}
	if st := getStream(t, s, scA, g, "s1"); st != (model.LogStream{Name: "s1", CreationTime: t0}) {
		t.Errorf("recreated stream = %+v, want a fresh one", st)
	}
	if sts := read(t, s, func(tx store.Tx) ([]model.LogStream, error) {
		return tx.ListLogStreams(scA, g, store.StreamQuery{Limit: 10})
	}); len(sts) != 1 {
		t.Errorf("recreated group's streams: %v, want s1 only", streamNames(sts))
	}
	if evs := allEvents(t, s, scA, g, store.EventQuery{}); len(evs) != 0 {
		t.Errorf("recreated group has events: %v", evs)
	}
	if ps := read(t, s, func(tx store.Tx) ([]model.ResourcePolicy, error) { return tx.ResourcePolicies(scA, arn) }); len(ps) != 0 {
		t.Errorf("recreated group has policies: %v", ps)
	}

	// A group stored without an ARN owns no policy: deleting it keeps the
	// account-scoped ones, whose ResourceArn is "".
	mustUpdate(t, s, func(tx store.Tx) error {
		return tx.CreateLogGroup(scA, model.LogGroup{Name: "no-arn", CreationTime: t0, Class: "STANDARD"})
	})
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteLogGroup(scA, "no-arn") })
	if ps := read(t, s, func(tx store.Tx) ([]model.ResourcePolicy, error) { return tx.ResourcePolicies(scA, "") }); len(ps) != 1 {
		t.Errorf("deleting a group without an ARN took the account policies: %v", ps)
	}
}

// groupNamesForOrder are group (and stream) names whose bytewise order
// and prefixes trip range scans: LIKE wildcards, multibyte characters whose
// PrefixEnd changes a lead byte, U+D7FF (PrefixEnd skips the surrogates)
// and U+10FFFF (PrefixEnd carries, or has no bound).
var groupNamesForOrder = []string{
	"b", "a", "ab", "a_b", "a%c", "a_", "aB", "a\\x",
	"aÿ", "aÿz", "aÿ\U0010FFFF", "aĀ", "aþ", // ÿ U+00FF, Ā U+0100 = PrefixEnd("aÿ"), þ U+00FE
	"日本", "日本語", "日本\U0010FFFF", "日札", "日末", // 札 U+672D = PrefixEnd("日本")'s last rune
	"\uD7FF", "\uD7FFx", "\uE000", "\uE000x",
	"\U0010FFFF", "\U0010FFFFa", "\U0010FFFF\U0010FFFF",
	"z\U0010FFFF", "{", // PrefixEnd("z\U0010FFFF") is "{"
	"/aws/lambda/x", "/aws/lambda/y", "/aws/lambdax",
}

var groupPrefixes = []string{
	"", "a", "a_", "a%", "a\\", "aÿ", "a\u00fe", "日本", "日", "\uD7FF", "\U0010FFFF", "\U0010FFFF\U0010FFFF",
	"z\U0010FFFF", "/aws/lambda/", "/aws/lambda", "zz", "日本語の",
}

func withPrefix(sorted []string, prefix string) []string {
	out := []string{}
	for _, n := range sorted {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// testListLogGroups: bytewise order, prefixes, After/Limit paging, counts.
func testListLogGroups(t *testing.T, s store.Store) {
	// Sanity: the names test what they claim to.
	for prefix, end := range map[string]string{"aÿ": "aĀ", "日本": "日札", "\uD7FF": "\uE000", "z\U0010FFFF": "{", "\U0010FFFF": ""} {
		if got := store.PrefixEnd(prefix); got != end {
			t.Fatalf("PrefixEnd(%q) = %q, want %q", prefix, got, end)
		}
	}
	mustUpdate(t, s, func(tx store.Tx) error {
		for _, n := range groupNamesForOrder {
			if err := tx.CreateLogGroup(scA, logGroup(scA, n)); err != nil {
				return fmt.Errorf("%q: %w", n, err)
			}
		}
		return tx.CreateLogGroup(scB, logGroup(scB, "a-in-b"))
	})
	sorted := slices.Clone(groupNamesForOrder)
	slices.Sort(sorted)
	list := func(q store.GroupQuery) []model.LogGroup {
		t.Helper()
		return read(t, s, func(tx store.Tx) ([]model.LogGroup, error) { return tx.ListLogGroups(scA, q) })
	}
	for _, prefix := range groupPrefixes {
		want := withPrefix(sorted, prefix)
		for _, limit := range []int{1, 2, 5, 100} {
			var got []string
			after := ""
			for range len(sorted) + 2 {
				page := list(store.GroupQuery{Prefix: prefix, After: after, Limit: limit})
				if len(page) > limit {
					t.Fatalf("prefix %q limit %d: page of %d", prefix, limit, len(page))
				}
				got = append(got, groupNames(page)...)
				if len(page) < limit {
					break
				}
				after = page[len(page)-1].Name
			}
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("prefix %q limit %d:\n got %q\nwant %q", prefix, limit, got, want)
			}
		}
	}
	// After below the prefix's range lists it from the start; after it,
	// nothing.
	if got := groupNames(list(store.GroupQuery{Prefix: "日本", After: "a", Limit: 10})); !slices.Equal(got, withPrefix(sorted, "日本")) {
		t.Errorf("prefix 日本 after a = %q", got)
	}
	if got := list(store.GroupQuery{Prefix: "日本", After: "日札", Limit: 10}); len(got) != 0 {
		t.Errorf("prefix 日本 after 日札 = %q, want none", groupNames(got))
	}
	i := slices.Index(sorted, "日本語")
	if got := groupNames(list(store.GroupQuery{After: "日本語", Limit: 2})); !slices.Equal(got, sorted[i+1:i+3]) {
		t.Errorf("after 日本語 = %q, want %q", got, sorted[i+1:i+3])
	}
	// Records of the listing are whole groups.
	if got := list(store.GroupQuery{Prefix: "/aws/lambda/x", Limit: 1}); len(got) != 1 {
		t.Errorf("one group: %v", got)
	} else {
		sameGroup(t, "listed group", got[0], logGroup(scA, "/aws/lambda/x"))
	}
	if n := read(t, s, func(tx store.Tx) (int, error) { return tx.CountLogGroups(scA) }); n != len(sorted) {
		t.Errorf("CountLogGroups = %d, want %d", n, len(sorted))
	}
	if n := read(t, s, func(tx store.Tx) (int, error) { return tx.CountLogGroups(scC) }); n != 0 {
		t.Errorf("CountLogGroups(empty scope) = %d", n)
	}
	if got := read(t, s, func(tx store.Tx) ([]model.LogGroup, error) {
		return tx.ListLogGroups(scC, store.GroupQuery{Limit: 10})
	}); len(got) != 0 {
		t.Errorf("empty scope lists %v", groupNames(got))
	}
}

// testLogScopes: a scope counts when it holds only a log group or only a
// resource policy, and stops counting when they go.
func testLogScopes(t *testing.T, s store.Store) {
	scD := model.Scope{Account: "333333333333", Region: "ap-south-1"}
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.PutSource(scA, source(scA, "src")); err != nil {
			return err
		}
		if err := tx.CreateLogGroup(scB, logGroup(scB, "only-group")); err != nil {
			return err
		}
		if err := tx.PutResourcePolicy(scC, model.ResourcePolicy{Name: "only-policy", Document: "{}", LastUpdatedTime: t0}); err != nil {
			return err
		}
		return tx.PutResourcePolicy(scD, model.ResourcePolicy{Name: "p", Document: "{}", LastUpdatedTime: t0, ResourceArn: groupARN(scD, "g")})
	})
	scopes := func() []model.Scope {
		return read(t, s, func(tx store.Tx) ([]model.Scope, error) { return tx.Scopes() })
	}
	if got, want := scopes(), []model.Scope{scC, scA, scB, scD}; !slices.Equal(got, want) {
		t.Errorf("Scopes = %v, want %v", got, want)
	}
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.DeleteLogGroup(scB, "only-group"); err != nil {
			return err
		}
		if err := tx.DeleteResourcePolicy(scD, groupARN(scD, "g"), "p"); err != nil {
			return err
		}
		return tx.DeleteResourcePolicy(scC, "", "only-policy")
	})
	if got, want := scopes(), []model.Scope{scA}; !slices.Equal(got, want) {
		t.Errorf("Scopes after deletes = %v, want %v", got, want)
	}
}

// testLogReset: Reset removes groups, streams, events and policies.
func testLogReset(t *testing.T, s store.Store) {
	makeGroup(t, s, scA, "g", "s")
	appendEvents(t, s, scA, "g", "s", ev(t0, "before reset"))
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.PutResourcePolicy(scA, model.ResourcePolicy{Name: "acct", Document: "{}"}); err != nil {
			return err
		}
		return tx.PutResourcePolicy(scB, model.ResourcePolicy{Name: "res", Document: "{}", ResourceArn: groupARN(scB, "g")})
	})
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	err := s.View(ctx, func(tx store.Tx) error {
		if n, _ := tx.CountLogGroups(scA); n != 0 {
			t.Errorf("after Reset: %d groups", n)
		}
		_, err := tx.LogGroup(scA, "g")
		isNotFound(t, "LogGroup after Reset", err)
		if ps, _ := tx.ResourcePolicies(scA, ""); len(ps) != 0 {
			t.Errorf("account policies after Reset: %v", ps)
		}
		if ps, _ := tx.ResourcePolicies(scB, groupARN(scB, "g")); len(ps) != 0 {
			t.Errorf("resource policies after Reset: %v", ps)
		}
		if sc, _ := tx.Scopes(); len(sc) != 0 {
			t.Errorf("Scopes after Reset: %v", sc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	makeGroup(t, s, scA, "g", "s")
	if evs := allEvents(t, s, scA, "g", store.EventQuery{}); len(evs) != 0 {
		t.Errorf("events after Reset: %v", evs)
	}
	st := appendEvents(t, s, scA, "g", "s", ev(t0, "after reset"))
	if st.Events != 1 || st.LastSeq <= 0 {
		t.Errorf("stream after Reset and one append: %+v", st)
	}
}

func testLogStreamCRUD(t *testing.T, s store.Store) {
	makeGroup(t, s, scA, "g")
	makeGroup(t, s, scA, "h")
	// Only Name and CreationTime are taken from the caller.
	in := model.LogStream{Name: "s", CreationTime: t0 + 5, FirstEventTimestamp: 1, LastEventTimestamp: 2,
		LastIngestionTime: 3, StoredBytes: 4, LastSeq: 5, Events: 6}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateLogStream(scA, "g", in) })
	if got, want := getStream(t, s, scA, "g", "s"), (model.LogStream{Name: "s", CreationTime: t0 + 5}); got != want {
		t.Errorf("created stream = %+v, want %+v", got, want)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateLogStream(scA, "g", in) }); !errors.Is(err, store.ErrConflict) {
		t.Errorf("create twice: %v, want ErrConflict", err)
	}
	isNotFound(t, "CreateLogStream in a missing group",
		s.Update(ctx, func(tx store.Tx) error { return tx.CreateLogStream(scA, "missing", in) }))
	isNotFound(t, "CreateLogStream in another scope's group",
		s.Update(ctx, func(tx store.Tx) error { return tx.CreateLogStream(scB, "g", in) }))
	// Names are per group.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateLogStream(scA, "h", in) })
	appendEvents(t, s, scA, "h", "s", ev(t0, "in h"))
	appendEvents(t, s, scA, "g", "s", ev(t0, "in g"), ev(t0+1, "more"))
	for _, c := range []struct{ group, stream string }{{"g", "missing"}, {"missing", "s"}} {
		_, err := readErr(s, func(tx store.Tx) (model.LogStream, error) { return tx.LogStream(scA, c.group, c.stream) })
		isNotFound(t, fmt.Sprintf("LogStream(%s, %s)", c.group, c.stream), err)
		isNotFound(t, fmt.Sprintf("DeleteLogStream(%s, %s)", c.group, c.stream),
			s.Update(ctx, func(tx store.Tx) error { return tx.DeleteLogStream(scA, c.group, c.stream) }))
	}
	_, err := readErr(s, func(tx store.Tx) ([]model.LogStream, error) {
		return tx.ListLogStreams(scA, "missing", store.StreamQuery{Limit: 10})
	})
	isNotFound(t, "ListLogStreams(missing group)", err)
	if got := read(t, s, func(tx store.Tx) ([]model.LogStream, error) {
		return tx.ListLogStreams(scA, "g", store.StreamQuery{Limit: 10})
	}); len(got) != 1 || got[0] != getStream(t, s, scA, "g", "s") {
		t.Errorf("ListLogStreams = %+v", got)
	}

	// Deleting a stream deletes its events, and the group's stored bytes
	// follow; the other group's stream of that name stays.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteLogStream(scA, "g", "s") })
	_, err = readErr(s, func(tx store.Tx) (model.LogStream, error) { return tx.LogStream(scA, "g", "s") })
	isNotFound(t, "LogStream after delete", err)
	isNotFound(t, "delete twice", s.Update(ctx, func(tx store.Tx) error { return tx.DeleteLogStream(scA, "g", "s") }))
	if g := getGroup(t, s, scA, "g"); g.StoredBytes != 0 {
		t.Errorf("group StoredBytes after its stream's delete = %d", g.StoredBytes)
	}
	if evs := allEvents(t, s, scA, "g", store.EventQuery{}); len(evs) != 0 {
		t.Errorf("events of a deleted stream: %v", evs)
	}
	if st := getStream(t, s, scA, "h", "s"); st.Events != 1 {
		t.Errorf("h/s after g/s's delete: %+v", st)
	}
	if g := getGroup(t, s, scA, "h"); g.StoredBytes != int64(len("in h")) {
		t.Errorf("h StoredBytes = %d", g.StoredBytes)
	}
	// Recreated, the stream starts empty.
	mustUpdate(t, s, func(tx store.Tx) error {
		return tx.CreateLogStream(scA, "g", model.LogStream{Name: "s", CreationTime: t0 + 9})
	})
	if got := getStream(t, s, scA, "g", "s"); got != (model.LogStream{Name: "s", CreationTime: t0 + 9}) {
		t.Errorf("recreated stream = %+v", got)
	}
	if evs := allEvents(t, s, scA, "g", store.EventQuery{}); len(evs) != 0 {
		t.Errorf("recreated stream has events: %v", evs)
	}
}

func listStreams(t testing.TB, s store.Store, sc model.Scope, group string, q store.StreamQuery) []model.LogStream {
	t.Helper()
	return read(t, s, func(tx store.Tx) ([]model.LogStream, error) { return tx.ListLogStreams(sc, group, q) })
}

// pageStreams lists every page of q, each of at most q.Limit, resuming
// after the last stream of the previous page.
func pageStreams(t testing.TB, s store.Store, sc model.Scope, group string, q store.StreamQuery) []model.LogStream {
	t.Helper()
	var out []model.LogStream
	for range 1000 {
		page := listStreams(t, s, sc, group, q)
		if len(page) > q.Limit {
			t.Fatalf("%+v: page of %d", q, len(page))
		}
		out = append(out, page...)
		if len(page) < q.Limit {
			return out
		}
		last := page[len(page)-1]
		q.After = &store.StreamKey{LastEventTimestamp: last.LastEventTimestamp, Name: last.Name}
	}
	t.Fatalf("%+v: paging does not end", q)
	return nil
}

func testListLogStreamsByName(t *testing.T, s store.Store) {
	makeGroup(t, s, scA, "g", groupNamesForOrder...)
	makeGroup(t, s, scA, "other", "a", "b")
	sorted := slices.Clone(groupNamesForOrder)
	slices.Sort(sorted)
	for _, prefix := range groupPrefixes {
		want := withPrefix(sorted, prefix)
		rev := slices.Clone(want)
		slices.Reverse(rev)
		for _, limit := range []int{1, 2, 3, 4, 100} {
			got := streamNames(pageStreams(t, s, scA, "g", store.StreamQuery{Prefix: prefix, Limit: limit}))
			if !slices.Equal(got, want) {
				t.Errorf("prefix %q limit %d:\n got %q\nwant %q", prefix, limit, got, want)
			}
			got = streamNames(pageStreams(t, s, scA, "g", store.StreamQuery{Prefix: prefix, Descending: true, Limit: limit}))
			if !slices.Equal(got, rev) {
				t.Errorf("prefix %q limit %d descending:\n got %q\nwant %q", prefix, limit, got, rev)
			}
		}
	}
	// By name, After's timestamp plays no part, and After need not name a
	// stream.
	after := &store.StreamKey{LastEventTimestamp: 99, Name: "a_"}
	if got := streamNames(listStreams(t, s, scA, "g", store.StreamQuery{After: after, Limit: 2})); !slices.Equal(got, []string{"a_b", "ab"}) {
		t.Errorf("after a_ = %q", got)
	}
	after = &store.StreamKey{Name: "a_a"}
	if got := streamNames(listStreams(t, s, scA, "g", store.StreamQuery{After: after, Descending: true, Limit: 2})); !slices.Equal(got, []string{"a_", "a\\x"}) {
		t.Errorf("descending after a_a = %q", got)
	}
}

func testListLogStreamsByLastEvent(t *testing.T, s store.Store) {
	makeGroup(t, s, scA, "g", "e0b", "e0a", "s1", "s2", "s3", "s4", "x")
	appendEvents(t, s, scA, "g", "s1", ev(300, "a"))
	appendEvents(t, s, scA, "g", "s2", ev(50, "a"), ev(100, "b"))
	appendEvents(t, s, scA, "g", "s3", ev(300, "a"))
	appendEvents(t, s, scA, "g", "s4", ev(200, "a"))
	appendEvents(t, s, scA, "g", "s4", ev(150, "late")) // out of order: last stays 200
	appendEvents(t, s, scA, "g", "x", ev(400, "a"))
	// Streams without events sort as 0; ties by name.
	asc := []string{"e0a", "e0b", "s2", "s4", "s1", "s3", "x"}
	for _, limit := range []int{1, 2, 3, 4, 100} {
		got := pageStreams(t, s, scA, "g", store.StreamQuery{ByLastEvent: true, Limit: limit})
		if !slices.Equal(streamNames(got), asc) {
			t.Errorf("limit %d: %q, want %q", limit, streamNames(got), asc)
		}
		desc := slices.Clone(asc)
		slices.Reverse(desc)
		got = pageStreams(t, s, scA, "g", store.StreamQuery{ByLastEvent: true, Descending: true, Limit: limit})
		if !slices.Equal(streamNames(got), desc) {
			t.Errorf("limit %d descending: %q, want %q", limit, streamNames(got), desc)
		}
	}
	if got := getStream(t, s, scA, "g", "s4"); got.LastEventTimestamp != 200 || got.FirstEventTimestamp != 150 {
		t.Errorf("s4 = %+v, want first 150, last 200", got)
	}
	for _, c := range []struct {
		q    store.StreamQuery
		want []string
	}{
		{store.StreamQuery{ByLastEvent: true, After: &store.StreamKey{LastEventTimestamp: 200, Name: "zzz"}, Limit: 10}, []string{"s1", "s3", "x"}},
		{store.StreamQuery{ByLastEvent: true, After: &store.StreamKey{LastEventTimestamp: 300, Name: "s1"}, Limit: 10}, []string{"s3", "x"}},
		{store.StreamQuery{ByLastEvent: true, After: &store.StreamKey{LastEventTimestamp: 0, Name: "e0a"}, Limit: 2}, []string{"e0b", "s2"}},
		{store.StreamQuery{ByLastEvent: true, Descending: true, After: &store.StreamKey{LastEventTimestamp: 300, Name: "s2"}, Limit: 10}, []string{"s1", "s4", "s2", "e0b", "e0a"}},
		{store.StreamQuery{ByLastEvent: true, Descending: true, After: &store.StreamKey{LastEventTimestamp: 100, Name: "s2"}, Limit: 10}, []string{"e0b", "e0a"}},
		{store.StreamQuery{ByLastEvent: true, Prefix: "s", Limit: 10}, []string{"s2", "s4", "s1", "s3"}},
		{store.StreamQuery{ByLastEvent: true, Prefix: "s", Descending: true, Limit: 3}, []string{"s3", "s1", "s4"}},
		{store.StreamQuery{ByLastEvent: true, Prefix: "e0", Limit: 10}, []string{"e0a", "e0b"}},
	} {
		if got := streamNames(listStreams(t, s, scA, "g", c.q)); !slices.Equal(got, c.want) {
			t.Errorf("%+v after %+v: %q, want %q", c.q, c.q.After, got, c.want)
		}
	}
	// Listed streams carry their figures.
	got := listStreams(t, s, scA, "g", store.StreamQuery{ByLastEvent: true, Prefix: "s2", Limit: 1})
	if want := getStream(t, s, scA, "g", "s2"); len(got) != 1 || got[0] != want || want.Events != 2 {
		t.Errorf("listed s2 = %+v, want %+v", got, want)
	}
}

func testResourcePolicies(t *testing.T, s store.Store) {
	arn := groupARN(scA, "g")
	pol := func(resource, name, doc string) model.ResourcePolicy {
		return model.ResourcePolicy{Name: name, Document: doc, LastUpdatedTime: t0, ResourceArn: resource, RevisionID: "rev-" + name}
	}
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ {\"Sid\": \"ünï 🙀\"} ]\n}" // verbatim, whitespace and all
	mustUpdate(t, s, func(tx store.Tx) error {
		for _, p := range []model.ResourcePolicy{pol("", "b", doc), pol("", "a", "{}"), pol(arn, "a", doc), pol(arn, "B", "{}")} {
			if err := tx.PutResourcePolicy(scA, p); err != nil {
				return err
			}
		}
		return tx.PutResourcePolicy(scB, pol("", "a", "{}"))
	})
	list := func(sc model.Scope, resource string) []model.ResourcePolicy {
		t.Helper()
		return read(t, s, func(tx store.Tx) ([]model.ResourcePolicy, error) { return tx.ResourcePolicies(sc, resource) })
	}
	same := func(what string, got, want []model.ResourcePolicy) {
		t.Helper()
		if len(got) != 0 || len(want) != 0 {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
			}
		}
	}
	same("account policies", list(scA, ""), []model.ResourcePolicy{pol("", "a", "{}"), pol("", "b", doc)})
	same("group policies", list(scA, arn), []model.ResourcePolicy{pol(arn, "B", "{}"), pol(arn, "a", doc)})
	same("other ARN", list(scA, groupARN(scA, "h")), nil)
	same("scope B", list(scB, ""), []model.ResourcePolicy{pol("", "a", "{}")})
	same("scope C", list(scC, ""), nil)

	// Put replaces the policy of that (ResourceArn, Name) only.
	repl := pol("", "a", `{"new":true}`)
	repl.LastUpdatedTime, repl.RevisionID = t0+1, "rev-2"
	mustUpdate(t, s, func(tx store.Tx) error { return tx.PutResourcePolicy(scA, repl) })
	same("replaced", list(scA, ""), []model.ResourcePolicy{repl, pol("", "b", doc)})
	same("group policies after replacing an account one", list(scA, arn), []model.ResourcePolicy{pol(arn, "B", "{}"), pol(arn, "a", doc)})
	same("scope B after replacing in A", list(scB, ""), []model.ResourcePolicy{pol("", "a", "{}")})

	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteResourcePolicy(scA, "", "a") })
	same("after delete", list(scA, ""), []model.ResourcePolicy{pol("", "b", doc)})
	same("group's after deleting the account's of that name", list(scA, arn), []model.ResourcePolicy{pol(arn, "B", "{}"), pol(arn, "a", doc)})
	for _, c := range []struct {
		sc       model.Scope
		arn, nam string
	}{{scA, "", "a"}, {scA, arn, "b"}, {scA, groupARN(scA, "h"), "a"}, {scC, "", "b"}, {scB, arn, "a"}} {
		isNotFound(t, fmt.Sprintf("DeleteResourcePolicy(%v, %q, %q)", c.sc, c.arn, c.nam),
			s.Update(ctx, func(tx store.Tx) error { return tx.DeleteResourcePolicy(c.sc, c.arn, c.nam) }))
	}
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.DeleteResourcePolicy(scA, arn, "a"); err != nil {
			return err
		}
		return tx.DeleteResourcePolicy(scA, arn, "B")
	})
	same("group policies deleted", list(scA, arn), nil)
	// A deleted policy can be put again.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.PutResourcePolicy(scA, pol(arn, "a", "{}")) })
	same("put again", list(scA, arn), []model.ResourcePolicy{pol(arn, "a", "{}")})
}

// testLogConflictKeepsTxUsable: refused LogTx calls change nothing, and
// fn may go on and commit its other writes.
func testLogConflictKeepsTxUsable(t *testing.T, s store.Store) {
	makeGroup(t, s, scA, "g", "s")
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.CreateLogGroup(scA, logGroup(scA, "g")); !errors.Is(err, store.ErrConflict) {
			t.Errorf("CreateLogGroup(dup) = %v", err)
		}
		if err := tx.CreateLogStream(scA, "g", model.LogStream{Name: "s"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("CreateLogStream(dup) = %v", err)
		}
		isNotFound(t, "CreateLogStream(missing group)", tx.CreateLogStream(scA, "missing", model.LogStream{Name: "s"}))
		isNotFound(t, "UpdateLogGroup(missing)", tx.UpdateLogGroup(scA, logGroup(scA, "missing")))
		isNotFound(t, "DeleteLogGroup(missing)", tx.DeleteLogGroup(scA, "missing"))
		isNotFound(t, "DeleteLogStream(missing)", tx.DeleteLogStream(scA, "g", "missing"))
		isNotFound(t, "DeleteResourcePolicy(missing)", tx.DeleteResourcePolicy(scA, "", "missing"))
		_, err := tx.AppendLogEvents(scA, "g", "missing", []model.LogEvent{ev(t0, "lost")})
		isNotFound(t, "AppendLogEvents(missing stream)", err)
		_, err = tx.AppendLogEvents(scA, "missing", "s", []model.LogEvent{ev(t0, "lost")})
		isNotFound(t, "AppendLogEvents(missing group)", err)
		_, err = tx.LogEvents(scA, "missing", store.EventQuery{Limit: 1})
		isNotFound(t, "LogEvents(missing group)", err)
		if _, err := tx.AppendLogEvents(scA, "g", "s", []model.LogEvent{ev(t0, "kept")}); err != nil {
			return err
		}
		return tx.CreateLogStream(scA, "g", model.LogStream{Name: "after"})
	})
	if evs := allEvents(t, s, scA, "g", store.EventQuery{}); len(evs) != 1 || evs[0].Message != "kept" {
		t.Errorf("events = %v, want the one kept", evs)
	}
	if _, err := readErr(s, func(tx store.Tx) (model.LogStream, error) { return tx.LogStream(scA, "g", "after") }); err != nil {
		t.Errorf("write after refused ones was lost: %v", err)
	}
	if n := read(t, s, func(tx store.Tx) (int, error) { return tx.CountLogGroups(scA) }); n != 1 {
		t.Errorf("CountLogGroups = %d, want 1", n)
	}
}

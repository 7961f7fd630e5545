package service

import (
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/store"
)

// defaultLimit is the page size when the caller gives no limit (the model's
// maximum).
const defaultLimit = 50

// pager turns a request's nextToken and limit into a store query and the
// answer's nextToken.
type pager struct {
	listing string
	after   string
	limit   int
	next    *string
}

// newPager reads a request's paging; a bad token is refused under code.
func newPager(listing string, token *string, limit *int32, code string) (*pager, error) {
	p := &pager{listing: listing, limit: defaultLimit}
	if limit != nil {
		p.limit = int(*limit)
	}
	if token != nil {
		after, ok := store.DecodeToken(listing, *token)
		if !ok {
			return nil, awserr.New(code, msgInvalidNextToken)
		}
		p.after = after
	}
	return p, nil
}

// page trims items, fetched with limit+1, to one page and sets next when
// more follow.
func page[T any](p *pager, items []T, key func(T) string) []T {
	if len(items) > p.limit {
		items = items[:p.limit]
		tok := store.EncodeToken(p.listing, key(items[len(items)-1]))
		p.next = &tok
	}
	return items
}

package e2e

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

const bulk = 500

// page is what a walk saw of one page.
type page struct {
	keys []string
	next *string
}

// walker lists one kind with its SDK paginator at a limit (0: none).
type walker func(t *testing.T, c *cwl.Client, limit int32) []page

func walkSources(t *testing.T, c *cwl.Client, limit int32) []page {
	t.Helper()
	var pages []page
	p := cwl.NewDescribeDeliverySourcesPaginator(c, &cwl.DescribeDeliverySourcesInput{},
		func(o *cwl.DescribeDeliverySourcesPaginatorOptions) { o.Limit = limit })
	for p.HasMorePages() && len(pages) <= 2*bulk {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pg := page{next: out.NextToken}
		for _, v := range out.DeliverySources {
			pg.keys = append(pg.keys, aws.ToString(v.Name))
		}
		pages = append(pages, pg)
	}
	return pages
}

func walkDestinations(t *testing.T, c *cwl.Client, limit int32) []page {
	t.Helper()
	var pages []page
	p := cwl.NewDescribeDeliveryDestinationsPaginator(c, &cwl.DescribeDeliveryDestinationsInput{},
		func(o *cwl.DescribeDeliveryDestinationsPaginatorOptions) { o.Limit = limit })
	for p.HasMorePages() && len(pages) <= 2*bulk {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pg := page{next: out.NextToken}
		for _, v := range out.DeliveryDestinations {
			pg.keys = append(pg.keys, aws.ToString(v.Name))
		}
		pages = append(pages, pg)
	}
	return pages
}

// walkDeliveries keys deliveries by "id source".
func walkDeliveries(t *testing.T, c *cwl.Client, limit int32) []page {
	t.Helper()
	var pages []page
	p := cwl.NewDescribeDeliveriesPaginator(c, &cwl.DescribeDeliveriesInput{},
		func(o *cwl.DescribeDeliveriesPaginatorOptions) { o.Limit = limit })
	for p.HasMorePages() && len(pages) <= 2*bulk {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pg := page{next: out.NextToken}
		for _, v := range out.Deliveries {
			pg.keys = append(pg.keys, aws.ToString(v.Id)+" "+aws.ToString(v.DeliverySourceName))
		}
		pages = append(pages, pg)
	}
	return pages
}

// bulkAccount creates, in acct, sources src-000…src-499, log-group
// destinations dst-000…dst-499 and one delivery from each src-i to dst-i.
func bulkAccount(t *testing.T) *cwl.Client {
	t.Helper()
	c := newClient(t)
	parallel(t, bulk, func(i int) error {
		name := fmt.Sprintf("%03d", i)
		if _, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
			Name: aws.String("src-" + name), ResourceArn: aws.String(cfArn("src" + name)), LogType: aws.String("ACCESS_LOGS"),
		}); err != nil {
			return err
		}
		dst, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{
			Name: aws.String("dst-" + name), DeliveryDestinationConfiguration: destConfig(logGroupArn(acct, "group-"+name)),
		})
		if err != nil {
			return err
		}
		_, err = c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
			DeliverySourceName: aws.String("src-" + name), DeliveryDestinationArn: dst.DeliveryDestination.Arn,
		})
		return err
	})
	return c
}

func TestPagination(t *testing.T) {
	t.Parallel()
	c := bulkAccount(t)
	kinds := []struct {
		name string
		walk walker
		// check verifies the complete listing of 500 keys.
		check func(t *testing.T, keys []string)
	}{
		{"sources", walkSources, func(t *testing.T, keys []string) { wantNames(t, keys, "src-") }},
		{"destinations", walkDestinations, func(t *testing.T, keys []string) { wantNames(t, keys, "dst-") }},
		{"deliveries", walkDeliveries, func(t *testing.T, keys []string) {
			sources := map[string]bool{}
			for _, k := range keys {
				var id, src string
				fmt.Sscan(k, &id, &src)
				if !deliveryIDPattern.MatchString(id) {
					t.Errorf("delivery id %q", id)
				}
				sources[src] = true
			}
			if len(sources) != bulk {
				t.Errorf("deliveries cover %d sources, want %d", len(sources), bulk)
			}
		}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			var first []string
			for _, limit := range []int32{50, 1, 7, 0} {
				pages := k.walk(t, c, limit)
				var keys []string
				for i, p := range pages {
					last := i == len(pages)-1
					if last != (p.next == nil) {
						t.Fatalf("limit %d: page %d of %d has nextToken %v", limit, i+1, len(pages), show(p.next))
					}
					if limit > 0 && !last && len(p.keys) != int(limit) {
						t.Fatalf("limit %d: page %d has %d items", limit, i+1, len(p.keys))
					}
					keys = append(keys, p.keys...)
				}
				if limit > 0 {
					if want := (bulk + int(limit) - 1) / int(limit); len(pages) != want {
						t.Errorf("limit %d: %d pages, want %d", limit, len(pages), want)
					}
				} else if len(pages) > bulk/50 {
					t.Errorf("no limit: %d pages, want at most %d", len(pages), bulk/50)
				}
				if len(keys) != bulk {
					t.Fatalf("limit %d: %d items, want %d", limit, len(keys), bulk)
				}
				seen := map[string]bool{}
				for _, key := range keys {
					if seen[key] {
						t.Fatalf("limit %d: %q listed twice", limit, key)
					}
					seen[key] = true
				}
				if first == nil {
					first = keys
					k.check(t, keys)
				} else {
					same(t, fmt.Sprintf("order at limit %d", limit), keys, first)
				}
			}
		})
	}
}

// wantNames asserts keys are prefix000 … prefix499 in some order.
func wantNames(t *testing.T, keys []string, prefix string) {
	t.Helper()
	set := map[string]bool{}
	for _, k := range keys {
		set[k] = true
	}
	for i := range bulk {
		if name := fmt.Sprintf("%s%03d", prefix, i); !set[name] {
			t.Errorf("%s missing", name)
		}
	}
}

// describeOnce calls one Describe operation with a token and limit and
// returns its nextToken.
type describeOnce func(c *cwl.Client, token *string, limit *int32) (*string, error)

var describers = []struct {
	name string
	call describeOnce
}{
	{"DescribeDeliverySources", func(c *cwl.Client, token *string, limit *int32) (*string, error) {
		out, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{NextToken: token, Limit: limit})
		if err != nil {
			return nil, err
		}
		return out.NextToken, nil
	}},
	{"DescribeDeliveryDestinations", func(c *cwl.Client, token *string, limit *int32) (*string, error) {
		out, err := c.DescribeDeliveryDestinations(ctx, &cwl.DescribeDeliveryDestinationsInput{NextToken: token, Limit: limit})
		if err != nil {
			return nil, err
		}
		return out.NextToken, nil
	}},
	{"DescribeDeliveries", func(c *cwl.Client, token *string, limit *int32) (*string, error) {
		out, err := c.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{NextToken: token, Limit: limit})
		if err != nil {
			return nil, err
		}
		return out.NextToken, nil
	}},
	{"DescribeConfigurationTemplates", func(c *cwl.Client, token *string, limit *int32) (*string, error) {
		out, err := c.DescribeConfigurationTemplates(ctx, &cwl.DescribeConfigurationTemplatesInput{NextToken: token, Limit: limit})
		if err != nil {
			return nil, err
		}
		return out.NextToken, nil
	}},
}

func TestPaginationLimits(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	const prefix = "1 validation error detected: Value '"
	tests := []struct {
		limit int32
		msg   string
	}{
		{0, prefix + "0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{-1, prefix + "-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{51, prefix + "51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50"},
	}
	for _, d := range describers {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/%d", d.name, tt.limit), func(t *testing.T) {
				_, err := d.call(c, nil, aws.Int32(tt.limit))
				wantErr[types.ValidationException](t, err, tt.msg)
			})
		}
		t.Run(d.name+"/1 and 50", func(t *testing.T) {
			for _, limit := range []int32{1, 50} {
				if _, err := d.call(c, nil, aws.Int32(limit)); err != nil {
					t.Fatalf("limit %d: %v", limit, err)
				}
			}
		})
	}
}

// A nextToken is only good for the listing that issued it.
func TestPaginationTokens(t *testing.T) {
	t.Parallel()
	srv := server(t)
	a, b, aWest := client(srv, acct, region), client(srv, other, region), client(srv, acct, westRegion)
	for _, c := range []*cwl.Client{a, b, aWest} {
		for i := range 3 {
			name := fmt.Sprintf("r%d", i)
			mkSourceFor(t, c, name, "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/lb"+name+"/0123456789abcdef", "ALB_ACCESS_LOGS")
			dst := mkDestination(t, c, name, s3Arn("bucket-"+name))
			mkDelivery(t, c, name, *dst.Arn)
		}
	}
	// tokens[i] is a page-2 token issued to a by describers[i].
	tokens := make([]string, len(describers))
	for i, d := range describers {
		tok, err := d.call(a, nil, aws.Int32(1))
		if err != nil || tok == nil {
			t.Fatalf("%s: token %v, err %v", d.name, show(tok), err)
		}
		tokens[i] = *tok
		if _, err := d.call(a, tok, aws.Int32(1)); err != nil {
			t.Fatalf("%s with its own token: %v", d.name, err)
		}
	}
	for i, d := range describers {
		t.Run(d.name, func(t *testing.T) {
			for _, bad := range []string{"garbage", "AAAAAAAAAAAAAAAA", tokens[i] + "x", flipFirst(tokens[i])} {
				_, err := d.call(a, aws.String(bad), nil)
				wantErr[types.ValidationException](t, err, msgInvalidNextToken)
			}
			for j, tok := range tokens {
				if j == i {
					continue
				}
				_, err := d.call(a, aws.String(tok), nil)
				wantErr[types.ValidationException](t, err, msgInvalidNextToken)
			}
			if d.name == "DescribeConfigurationTemplates" {
				return // the catalogue is the same for everyone
			}
			_, err := d.call(b, aws.String(tokens[i]), nil)
			wantErr[types.ValidationException](t, err, msgInvalidNextToken)
			_, err = d.call(aWest, aws.String(tokens[i]), nil)
			wantErr[types.ValidationException](t, err, msgInvalidNextToken)
		})
	}
}

// flipFirst changes the first character of tok.
func flipFirst(tok string) string {
	if tok[0] == 'A' {
		return "B" + tok[1:]
	}
	return "A" + tok[1:]
}

// Deleting the last item of a page does not disturb the walk.
func TestPaginationAcrossDeletes(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for i := range 9 {
		mkSource(t, c, fmt.Sprintf("s%d", i))
	}
	var names []string
	out, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{Limit: aws.Int32(3)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range out.DeliverySources {
		names = append(names, *s.Name)
	}
	if len(names) != 3 || out.NextToken == nil {
		t.Fatalf("first page %v, token %v", names, show(out.NextToken))
	}
	// Delete the item the token points after, and one not listed yet.
	listed := map[string]bool{}
	for _, n := range names {
		listed[n] = true
	}
	unlisted := ""
	for i := range 9 {
		if n := fmt.Sprintf("s%d", i); !listed[n] {
			unlisted = n
			break
		}
	}
	for _, name := range []string{names[2], unlisted} {
		if _, err := c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	token := out.NextToken
	for token != nil {
		out, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{Limit: aws.Int32(3), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.DeliverySources {
			names = append(names, *s.Name)
		}
		token = out.NextToken
	}
	if len(names) != 8 {
		t.Fatalf("walk listed %d sources (%v), want the 8 seen or present", len(names), names)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if n == unlisted {
			t.Fatalf("deleted %s listed: %v", n, names)
		}
		if seen[n] {
			t.Fatalf("%s listed twice: %v", n, names)
		}
		seen[n] = true
	}
}

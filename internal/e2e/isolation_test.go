package e2e

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/cwlogd/cwlogd/internal/api"
)

// The isolation matrix: account A (acct, us-east-1) owns one of every kind
// of resource; for every operation cwlogd serves, account B in the same
// region and A itself in another region try to read, change, tag, list and
// delete them by name and by ARN. Each attempt's answer is compared with
// the table below, the whole matrix is logged, and afterwards A's resources
// must read exactly as before.

// isoNames are A's resources.
const (
	isoSource   = "iso-src"
	isoDest     = "iso-dst"
	isoGroup    = "/iso/group"
	isoStream   = "iso-stream"
	isoAcctPol  = "iso-account-policy"
	isoGroupPol = "iso-group-policy"
	isoPolicy   = `{"Statement":[{"Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com"]},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*","Sid":"Vended"}]}`
)

// isoA is what the attempts know of A's resources.
type isoA struct {
	sourceArn, destArn, deliveryID, deliveryArn, groupArn string
	// outAccount and outRegion are the outsider's own.
	outAccount, outRegion string
}

// attempt is one try: it returns the operation's output (nil on error),
// the number of items when the output is a list (-1 otherwise), and the
// error.
type attempt struct {
	name string
	run  func(c *cwl.Client, a isoA) (any, int, error)
}

// isoRow is one operation of the matrix. creates marks operations that,
// when they succeed, create the outsider's own resource of the same name;
// they run last so the others still find nothing of the outsider's.
type isoRow struct {
	op       string
	creates  bool
	attempts []attempt
	// want is the expected answer from the other account and from the
	// other region: the attempts' answers joined with "; ".
	wantAccount, wantRegion string
}

const (
	rnf    = "ResourceNotFoundException"
	denied = "AccessDeniedException"
)

func one(out any, err error) (any, int, error) { return out, -1, err }

func isoRows() []isoRow {
	s := aws.String
	tagARNs := func(f func(c *cwl.Client, arn string) (any, error)) []attempt {
		var at []attempt
		for _, k := range []struct {
			name string
			arn  func(isoA) string
		}{
			{"source ARN", func(a isoA) string { return a.sourceArn }},
			{"destination ARN", func(a isoA) string { return a.destArn }},
			{"delivery ARN", func(a isoA) string { return a.deliveryArn }},
			{"log group ARN", func(a isoA) string { return a.groupArn }},
		} {
			at = append(at, attempt{k.name, func(c *cwl.Client, a isoA) (any, int, error) { return one(f(c, k.arn(a))) }})
		}
		return at
	}
	byName := func(f func(c *cwl.Client, a isoA) (any, error)) []attempt {
		return []attempt{{"by name", func(c *cwl.Client, a isoA) (any, int, error) { return one(f(c, a)) }}}
	}
	rnf4 := "source ARN: " + rnf + "; destination ARN: " + rnf + "; delivery ARN: " + rnf + "; log group ARN: " + rnf
	return []isoRow{
		{op: "PutDeliverySource", creates: true, attempts: []attempt{
			{"A's name and A's resource", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: s(isoSource), ResourceArn: s(cfArn(isoSource)), LogType: s("ACCESS_LOGS")}))
			}},
			// B gets a source of its own (A's is untouched); AWS would
			// refuse it, B holding no AllowVendedLogDeliveryForResource on
			// A's distribution, which cwlogd does not check yet. CloudFront
			// sources exist only in us-east-1.
		}, wantAccount: "A's name and A's resource: OK", wantRegion: "A's name and A's resource: ValidationException"},
		{op: "GetDeliverySource", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: s(isoSource)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DescribeDeliverySources", attempts: []attempt{{"list", func(c *cwl.Client, a isoA) (any, int, error) {
			out, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{})
			if err != nil {
				return nil, 0, err
			}
			return out, len(out.DeliverySources), nil
		}}}, wantAccount: "list: empty", wantRegion: "list: empty"},
		{op: "DeleteDeliverySource", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: s(isoSource)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "PutDeliveryDestination", creates: true, attempts: []attempt{
			{"A's name", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{Name: s(isoDest),
					DeliveryDestinationConfiguration: &types.DeliveryDestinationConfiguration{DestinationResourceArn: s(s3Arn("outsider-bucket"))}}))
			}},
		}, wantAccount: "A's name: OK", wantRegion: "A's name: OK"},
		{op: "GetDeliveryDestination", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: s(isoDest)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DescribeDeliveryDestinations", attempts: []attempt{{"list", func(c *cwl.Client, a isoA) (any, int, error) {
			out, err := c.DescribeDeliveryDestinations(ctx, &cwl.DescribeDeliveryDestinationsInput{})
			if err != nil {
				return nil, 0, err
			}
			return out, len(out.DeliveryDestinations), nil
		}}}, wantAccount: "list: empty", wantRegion: "list: empty"},
		{op: "DeleteDeliveryDestination", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: s(isoDest)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "PutDeliveryDestinationPolicy", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.PutDeliveryDestinationPolicy(ctx, &cwl.PutDeliveryDestinationPolicyInput{DeliveryDestinationName: s(isoDest),
				DeliveryDestinationPolicy: s(crossAccountPolicy(other, acct))})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "GetDeliveryDestinationPolicy", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: s(isoDest)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DeleteDeliveryDestinationPolicy", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.DeleteDeliveryDestinationPolicy(ctx, &cwl.DeleteDeliveryDestinationPolicyInput{DeliveryDestinationName: s(isoDest)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		// CreateDelivery runs with the reads: its first attempt needs the
		// outsider to have no source of A's name yet, and its second
		// creates only a source of another name.
		{op: "CreateDelivery", attempts: []attempt{
			{"A's source name, A's destination ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: s(isoSource), DeliveryDestinationArn: s(a.destArn)}))
			}},
			{"own source, A's destination ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				own := "arn:aws:bedrock:" + a.outRegion + ":" + a.outAccount + ":agent/OUTSIDER01"
				src, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: s("outsider-src"), ResourceArn: s(own), LogType: s("APPLICATION_LOGS")})
				if err != nil {
					return nil, -1, fmt.Errorf("own source: %w", err)
				}
				return one(c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: src.DeliverySource.Name, DeliveryDestinationArn: s(a.destArn)}))
			}},
			// A's policy grants a third account only; from another region
			// A's destination is not found (deliveries stay in a region).
		}, wantAccount: "A's source name, A's destination ARN: " + rnf + "; own source, A's destination ARN: " + denied,
			wantRegion: "A's source name, A's destination ARN: " + rnf + "; own source, A's destination ARN: " + rnf},
		{op: "GetDelivery", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: s(a.deliveryID)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DescribeDeliveries", attempts: []attempt{{"list", func(c *cwl.Client, a isoA) (any, int, error) {
			out, err := c.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{})
			if err != nil {
				return nil, 0, err
			}
			return out, len(out.Deliveries), nil
		}}}, wantAccount: "list: empty", wantRegion: "list: empty"},
		{op: "DeleteDelivery", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: s(a.deliveryID)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "UpdateDeliveryConfiguration", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{Id: s(a.deliveryID), FieldDelimiter: s(",")})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DescribeConfigurationTemplates", attempts: []attempt{{"catalogue", func(c *cwl.Client, a isoA) (any, int, error) {
			out, err := c.DescribeConfigurationTemplates(ctx, &cwl.DescribeConfigurationTemplatesInput{Service: s("cloudfront")})
			if err != nil {
				return nil, 0, err
			}
			return out, -1, nil
		}}}, wantAccount: "catalogue: OK", wantRegion: "catalogue: OK"},
		{op: "TagResource", attempts: tagARNs(func(c *cwl.Client, arn string) (any, error) {
			return c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: s(arn), Tags: map[string]string{"owner": "outsider"}})
		}), wantAccount: rnf4, wantRegion: rnf4},
		{op: "UntagResource", attempts: tagARNs(func(c *cwl.Client, arn string) (any, error) {
			return c.UntagResource(ctx, &cwl.UntagResourceInput{ResourceArn: s(arn), TagKeys: []string{"team"}})
		}), wantAccount: rnf4, wantRegion: rnf4},
		{op: "ListTagsForResource", attempts: tagARNs(func(c *cwl.Client, arn string) (any, error) {
			return c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: s(arn)})
		}), wantAccount: rnf4, wantRegion: rnf4},
		{op: "CreateLogGroup", creates: true, attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: s(isoGroup)})
		}), wantAccount: "by name: OK", wantRegion: "by name: OK"},
		{op: "DeleteLogGroup", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: s(isoGroup)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DescribeLogGroups", attempts: []attempt{
			{"list", func(c *cwl.Client, a isoA) (any, int, error) {
				out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
				if err != nil {
					return nil, 0, err
				}
				return out, len(out.LogGroups), nil
			}},
			{"prefix", func(c *cwl.Client, a isoA) (any, int, error) {
				out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: s("/iso")})
				if err != nil {
					return nil, 0, err
				}
				return out, len(out.LogGroups), nil
			}},
			{"by ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupIdentifiers: []string{a.groupArn}})
				if err != nil {
					return nil, 0, err
				}
				return out, len(out.LogGroups), nil
			}},
		}, wantAccount: "list: empty; prefix: empty; by ARN: empty", wantRegion: "list: empty; prefix: empty; by ARN: empty"},
		{op: "ListLogGroups", attempts: []attempt{{"list", func(c *cwl.Client, a isoA) (any, int, error) {
			out, err := c.ListLogGroups(ctx, &cwl.ListLogGroupsInput{})
			if err != nil {
				return nil, 0, err
			}
			return out, len(out.LogGroups), nil
		}}}, wantAccount: "list: empty", wantRegion: "list: empty"},
		{op: "CreateLogStream", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: s(isoGroup), LogStreamName: s("outsider")})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DeleteLogStream", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.DeleteLogStream(ctx, &cwl.DeleteLogStreamInput{LogGroupName: s(isoGroup), LogStreamName: s(isoStream)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DescribeLogStreams", attempts: []attempt{
			{"by name", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: s(isoGroup)}))
			}},
			{"by ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupIdentifier: s(a.groupArn)}))
			}},
		}, wantAccount: "by name: " + rnf + "; by ARN: " + rnf, wantRegion: "by name: " + rnf + "; by ARN: " + rnf},
		{op: "PutLogEvents", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: s(isoGroup), LogStreamName: s(isoStream),
				LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(nowMs()), Message: s("intruder")}}})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "GetLogEvents", attempts: []attempt{
			{"by name", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: s(isoGroup), LogStreamName: s(isoStream)}))
			}},
			{"by ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupIdentifier: s(a.groupArn), LogStreamName: s(isoStream)}))
			}},
		}, wantAccount: "by name: " + rnf + "; by ARN: " + rnf, wantRegion: "by name: " + rnf + "; by ARN: " + rnf},
		{op: "FilterLogEvents", attempts: []attempt{
			{"by name", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: s(isoGroup)}))
			}},
			{"by ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupIdentifier: s(a.groupArn)}))
			}},
		}, wantAccount: "by name: " + rnf + "; by ARN: " + rnf, wantRegion: "by name: " + rnf + "; by ARN: " + rnf},
		{op: "PutRetentionPolicy", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: s(isoGroup), RetentionInDays: aws.Int32(1)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "DeleteRetentionPolicy", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.DeleteRetentionPolicy(ctx, &cwl.DeleteRetentionPolicyInput{LogGroupName: s(isoGroup)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "TagLogGroup", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.TagLogGroup(ctx, &cwl.TagLogGroupInput{LogGroupName: s(isoGroup), Tags: map[string]string{"owner": "outsider"}})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "UntagLogGroup", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.UntagLogGroup(ctx, &cwl.UntagLogGroupInput{LogGroupName: s(isoGroup), Tags: []string{"env"}})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "ListTagsLogGroup", attempts: byName(func(c *cwl.Client, a isoA) (any, error) {
			return c.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: s(isoGroup)})
		}), wantAccount: "by name: " + rnf, wantRegion: "by name: " + rnf},
		{op: "PutResourcePolicy", creates: true, attempts: []attempt{
			{"on A's log group ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: s(isoGroupPol), PolicyDocument: s(isoPolicy), ResourceArn: s(a.groupArn)}))
			}},
			{"account policy of A's name", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: s(isoAcctPol), PolicyDocument: s(`{}`)}))
			}},
		}, wantAccount: "on A's log group ARN: " + rnf + "; account policy of A's name: OK", wantRegion: "on A's log group ARN: " + rnf + "; account policy of A's name: OK"},
		{op: "DescribeResourcePolicies", attempts: []attempt{
			{"account scope", func(c *cwl.Client, a isoA) (any, int, error) {
				out, err := c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{})
				if err != nil {
					return nil, 0, err
				}
				return out, len(out.ResourcePolicies), nil
			}},
			{"A's log group ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				out, err := c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{PolicyScope: types.PolicyScopeResource, ResourceArn: s(a.groupArn)})
				if err != nil {
					return nil, 0, err
				}
				return out, len(out.ResourcePolicies), nil
			}},
			// As for a log group ARN that does not exist: an empty list.
		}, wantAccount: "account scope: empty; A's log group ARN: empty", wantRegion: "account scope: empty; A's log group ARN: empty"},
		{op: "DeleteResourcePolicy", attempts: []attempt{
			{"by name", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.DeleteResourcePolicy(ctx, &cwl.DeleteResourcePolicyInput{PolicyName: s(isoAcctPol)}))
			}},
			{"by log group ARN", func(c *cwl.Client, a isoA) (any, int, error) {
				return one(c.DeleteResourcePolicy(ctx, &cwl.DeleteResourcePolicyInput{PolicyName: s(isoGroupPol), ResourceArn: s(a.groupArn)}))
			}},
		}, wantAccount: "by name: " + rnf + "; by log group ARN: " + rnf, wantRegion: "by name: " + rnf + "; by log group ARN: " + rnf},
	}
}

// isoSetup creates A's resources and returns what the attempts use.
func isoSetup(t *testing.T, c *cwl.Client) isoA {
	t.Helper()
	s := aws.String
	src, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: s(isoSource), ResourceArn: s(cfArn(isoSource)),
		LogType: s("ACCESS_LOGS"), Tags: map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	dst, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{Name: s(isoDest), OutputFormat: types.OutputFormatJson,
		DeliveryDestinationConfiguration: &types.DeliveryDestinationConfiguration{DestinationResourceArn: s(s3Arn("a-bucket"))},
		Tags:                             map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	// The destination's policy lets only a third account deliver to it.
	if _, err := putPolicy(c, isoDest, crossAccountPolicy(third, acct)); err != nil {
		t.Fatal(err)
	}
	d := mkDelivery(t, c, isoSource, *dst.DeliveryDestination.Arn)
	if _, err := c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: d.Arn, Tags: map[string]string{"team": "a"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: s(isoGroup), Tags: map[string]string{"env": "prod", "team": "a"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: s(isoGroup), RetentionInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	mkStream(t, c, isoGroup, isoStream)
	putEvents(t, c, isoGroup, isoStream, nowMs()-1000, "one", "two", `{"status":500}`)
	ga := logGroupArn(acct, isoGroup)
	if _, err := c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: s(isoGroupPol), PolicyDocument: s(isoPolicy), ResourceArn: &ga}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: s(isoAcctPol), PolicyDocument: s(isoPolicy)}); err != nil {
		t.Fatal(err)
	}
	return isoA{sourceArn: *src.DeliverySource.Arn, destArn: *dst.DeliveryDestination.Arn, deliveryID: *d.Id, deliveryArn: *d.Arn, groupArn: ga}
}

// isoSnapshot reads everything of A's, as JSON.
func isoSnapshot(t *testing.T, c *cwl.Client, a isoA) string {
	t.Helper()
	s := aws.String
	var parts []string
	add := func(what string, out any, err error) {
		if err != nil {
			t.Fatalf("owner's %s: %v", what, err)
		}
		parts = append(parts, what+": "+show(out))
	}
	o1, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: s(isoSource)})
	add("source", o1, err)
	o2, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: s(isoDest)})
	add("destination", o2, err)
	o3, err := c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: s(isoDest)})
	add("destination policy", o3, err)
	o4, err := c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: s(a.deliveryID)})
	add("delivery", o4, err)
	o5, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{})
	add("sources", o5, err)
	o6, err := c.DescribeDeliveryDestinations(ctx, &cwl.DescribeDeliveryDestinationsInput{})
	add("destinations", o6, err)
	o7, err := c.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{})
	add("deliveries", o7, err)
	for _, arn := range []string{a.sourceArn, a.destArn, a.deliveryArn, a.groupArn} {
		o, err := c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: s(arn)})
		add("tags of "+arn, o, err)
	}
	o8, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	add("log groups", o8, err)
	o9, err := c.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: s(isoGroup)})
	add("group tags", o9, err)
	o10, err := c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: s(isoGroup)})
	add("streams", o10, err)
	o11, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: s(isoGroup), LogStreamName: s(isoStream), StartFromHead: aws.Bool(true)})
	add("events", o11, err)
	o12, err := c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{})
	add("account policies", o12, err)
	o13, err := c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{PolicyScope: types.PolicyScopeResource, ResourceArn: s(a.groupArn)})
	add("group policies", o13, err)
	return strings.Join(parts, "\n")
}

// summarize words one attempt's answer: the error code, or OK; a list
// says whether it is empty; an answer naming one of A's resources (a logs
// ARN of A in us-east-1) is a leak.
func summarize(out any, n int, err error) string {
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		return "error " + err.Error()
	}
	if j := show(out); strings.Contains(j, "arn:aws:logs:"+region+":"+acct+":") {
		return "LEAK " + j
	}
	switch {
	case n == 0:
		return "empty"
	case n > 0:
		return fmt.Sprintf("%d items", n)
	}
	return "OK"
}

func TestIsolationMatrix(t *testing.T) {
	t.Parallel()
	srv := server(t)
	owner := client(srv, acct, region)
	a := isoSetup(t, owner)
	before := isoSnapshot(t, owner, a)

	rows := isoRows()
	var ops []string
	for _, r := range rows {
		ops = append(ops, r.op)
	}
	slices.Sort(ops)
	if !slices.Equal(ops, api.OperationNames[:]) {
		t.Fatalf("the matrix covers %v, cwlogd serves %v", ops, api.OperationNames)
	}

	outsiders := []struct {
		name, account, region string
		c                     *cwl.Client
	}{
		{"other account", other, region, client(srv, other, region)},
		{"other region", acct, westRegion, client(srv, acct, westRegion)},
	}
	got := make([][2]string, len(rows))
	var texts []string
	for col, o := range outsiders {
		a := a
		a.outAccount, a.outRegion = o.account, o.region
		// Operations that would create the outsider's own resources run last.
		for _, creates := range []bool{false, true} {
			for i, r := range rows {
				if r.creates != creates {
					continue
				}
				var answers []string
				for _, at := range r.attempts {
					out, n, err := at.run(o.c, a)
					answers = append(answers, at.name+": "+summarize(out, n, err))
					var ae smithy.APIError
					if errors.As(err, &ae) && ae.ErrorCode() != rnf {
						texts = append(texts, fmt.Sprintf("%s from %s, %s: %s: %s", r.op, o.name, at.name, ae.ErrorCode(), ae.ErrorMessage()))
					}
				}
				got[i][col] = strings.Join(answers, "; ")
			}
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "isolation matrix (A = %s in %s):\n| operation | account %s, %s | account A, %s |\n|---|---|---|\n", acct, region, other, region, westRegion)
	for i, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.op, got[i][0], got[i][1])
		for col, want := range []string{r.wantAccount, r.wantRegion} {
			if got[i][col] != want {
				t.Errorf("%s from %s: %s, want %s", r.op, outsiders[col].name, got[i][col], want)
			}
		}
	}
	t.Log(b.String() + "\nerror texts other than " + rnf + ":\n" + strings.Join(texts, "\n"))

	if after := isoSnapshot(t, owner, a); after != before {
		t.Errorf("A's resources changed:\nbefore %s\nafter  %s", before, after)
	}
}

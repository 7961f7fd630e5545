package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlogd/cwlogd/internal/config"
)

func mkGroup(t *testing.T, c *cwl.Client, name string) {
	t.Helper()
	if _, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		t.Fatalf("CreateLogGroup %s: %v", name, err)
	}
}

func describeGroups(t *testing.T, c *cwl.Client, in *cwl.DescribeLogGroupsInput) []string {
	t.Helper()
	var names []string
	p := cwl.NewDescribeLogGroupsPaginator(c, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.LogGroups {
			names = append(names, *g.LogGroupName)
		}
	}
	return names
}

func TestLogGroupLifecycleOnTheWire(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	mkGroup(t, c, "/app/web")
	out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	ct := *out.LogGroups[0].CreationTime
	arn := logGroupArn(acct, "/app/web")
	rec.wantWire(t, fmt.Sprintf(`{"logGroups":[{"logGroupName":"/app/web","creationTime":%d,"metricFilterCount":0,
		"arn":%q,"logGroupArn":%q,"storedBytes":0,"logGroupClass":"STANDARD","deletionProtectionEnabled":false}]}`, ct, arn+":*", arn))

	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/app/web")})
	wantErr[types.ResourceAlreadyExistsException](t, err, "The specified log group already exists")

	if _, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("/app/web"), RetentionInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	out, _ = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if got := aws.ToInt32(out.LogGroups[0].RetentionInDays); got != 7 {
		t.Errorf("retentionInDays = %d, want 7", got)
	}
	if _, err := c.DeleteRetentionPolicy(ctx, &cwl.DeleteRetentionPolicyInput{LogGroupName: aws.String("/app/web")}); err != nil {
		t.Fatal(err)
	}
	out, _ = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if out.LogGroups[0].RetentionInDays != nil {
		t.Errorf("retentionInDays = %d after DeleteRetentionPolicy, want absent", *out.LogGroups[0].RetentionInDays)
	}

	if _, err := c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("/app/web")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("/app/web")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	out, _ = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	rec.wantWire(t, `{"logGroups":[]}`)
	if len(out.LogGroups) != 0 {
		t.Errorf("groups after delete = %d", len(out.LogGroups))
	}
}

func TestLogGroupValidation(t *testing.T) {
	c := newClient(t)
	_, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(strings.Repeat("a", 513))})
	wantErr[types.InvalidParameterException](t, err, "Invalid LogGroup or LogStream, both must have length less than or equal to 512.")
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("bad name!")})
	wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+")
	_, err = c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("g"), LogGroupClass: "COLD"})
	wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value 'COLD' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]")
	mkGroup(t, c, "g")
	_, err = c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(2)})
	wantErr[types.InvalidParameterException](t, err, "Invalid retention value. Valid values are: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]")
	_, err = c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("nope"), RetentionInDays: aws.Int32(1)})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("a"), LogGroupNamePattern: aws.String("b")})
	wantErr[types.InvalidParameterException](t, err, "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{Limit: aws.Int32(51)})
	wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50")
	_, err = c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{NextToken: aws.String("garbage")})
	wantErr[types.InvalidParameterException](t, err, "The specified nextToken is invalid.")
	protected := "protected"
	if _, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: &protected, DeletionProtectionEnabled: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: &protected})
	wantErr[types.ValidationException](t, err, "")
}

func TestDescribeLogGroupsFilters(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	for _, n := range []string{"/aws/lambda/a", "/aws/lambda/b", "/app/api", "/app/web", "Zeta"} {
		mkGroup(t, c, n)
	}
	if _, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/app/ia"), LogGroupClass: types.LogGroupClassInfrequentAccess}); err != nil {
		t.Fatal(err)
	}
	same(t, "all (ASCII order)", describeGroups(t, c, &cwl.DescribeLogGroupsInput{Limit: aws.Int32(1)}),
		[]string{"/app/api", "/app/ia", "/app/web", "/aws/lambda/a", "/aws/lambda/b", "Zeta"})
	same(t, "prefix", describeGroups(t, c, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/"), Limit: aws.Int32(1)}),
		[]string{"/aws/lambda/a", "/aws/lambda/b"})
	same(t, "pattern (AWS adds a token to a page with matches)", describeGroups(t, c, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("ap")}),
		[]string{"/app/api", "/app/ia", "/app/web"})
	same(t, "class", describeGroups(t, c, &cwl.DescribeLogGroupsInput{LogGroupClass: types.LogGroupClassInfrequentAccess}),
		[]string{"/app/ia"})
	same(t, "identifiers, a page each", describeGroups(t, c, &cwl.DescribeLogGroupsInput{Limit: aws.Int32(1), LogGroupIdentifiers: []string{"Zeta", logGroupArn(acct, "/app/api"), logGroupArn(other, "/app/web"), "missing", "Zeta"}}),
		[]string{"/app/api", "Zeta"})

	// A pattern search answers the reduced item AWS answers.
	out, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("Zet")})
	if err != nil {
		t.Fatal(err)
	}
	arn := logGroupArn(acct, "Zeta")
	if out.NextToken == nil {
		t.Fatal("a pattern page with matches carries a nextToken on AWS")
	}
	rec.wantWire(t, fmt.Sprintf(`{"logGroups":[{"logGroupName":"Zeta","creationTime":%d,"metricFilterCount":0,"arn":%q,"logGroupArn":%q,"logGroupClass":"STANDARD"}],"nextToken":%q}`,
		*out.LogGroups[0].CreationTime, arn+":*", arn, *out.NextToken))
	if _, err := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("Zet"), NextToken: out.NextToken}); err != nil {
		t.Fatal(err)
	}
	rec.wantWire(t, `{"logGroups":[]}`)
}

func TestListLogGroups(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	for _, n := range []string{"/aws/lambda/alpha", "/app/api", "/app/web", "apps"} {
		mkGroup(t, c, n)
	}
	if _, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("tagged"), Tags: map[string]string{"team": "Payments", "env": "prod"}}); err != nil {
		t.Fatal(err)
	}
	list := func(in *cwl.ListLogGroupsInput) []string {
		t.Helper()
		var names []string
		for {
			out, err := c.ListLogGroups(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range out.LogGroups {
				names = append(names, *g.LogGroupName)
			}
			if out.NextToken == nil {
				return names
			}
			in.NextToken = out.NextToken
		}
	}
	same(t, "pattern ^ and |", list(&cwl.ListLogGroupsInput{LogGroupNamePattern: aws.String("^/app|lambda"), Limit: aws.Int32(1)}),
		[]string{"/app/api", "/app/web", "/aws/lambda/alpha"})
	same(t, "wildcard tag, case-insensitive", list(&cwl.ListLogGroupsInput{LogGroupTags: []types.TagFilter{{Key: aws.String("team"), Values: []string{"pay*"}}}}),
		[]string{"tagged"})
	same(t, "negated tag", list(&cwl.ListLogGroupsInput{LogGroupTags: []types.TagFilter{{Key: aws.String("env"), Values: []string{"!prod"}}}}),
		[]string(nil))
	out, err := c.ListLogGroups(ctx, &cwl.ListLogGroupsInput{LogGroupNamePattern: aws.String("apps")})
	if err != nil {
		t.Fatal(err)
	}
	rec.wantWire(t, fmt.Sprintf(`{"logGroups":[{"logGroupName":"apps","logGroupArn":%q,"logGroupClass":"STANDARD"}]}`, logGroupArn(acct, "apps")))
	if len(out.LogGroups) != 1 {
		t.Fatal(out.LogGroups)
	}
	_, err = c.ListLogGroups(ctx, &cwl.ListLogGroupsInput{LogGroupNamePattern: aws.String("nomatch")})
	if err != nil {
		t.Fatal(err)
	}
	rec.wantWire(t, `{"logGroups":[]}`)
}

func TestLogGroupTagsAllAPIs(t *testing.T) {
	c := newClient(t)
	if _, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"a": "1"}}); err != nil {
		t.Fatal(err)
	}
	arn := logGroupArn(acct, "g")
	if _, err := c.TagLogGroup(ctx, &cwl.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"b": "2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"c": "3", "a": "one"}}); err != nil {
		t.Fatal(err)
	}
	same(t, "ListTagsForResource", listTags(t, c, arn), map[string]string{"a": "one", "b": "2", "c": "3"})
	if _, err := c.UntagLogGroup(ctx, &cwl.UntagLogGroupInput{LogGroupName: aws.String("g"), Tags: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &cwl.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "ListTagsLogGroup", out.Tags, map[string]string{"c": "3"})

	_, err = c.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("missing")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	_, err = c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(logGroupArn(acct, "missing"))})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprint("k", i)] = "v"
	}
	_, err = c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: &arn, Tags: many})
	wantErr[types.TooManyTagsException](t, err, "A resource can have no more than 50 tags.")
}

func TestResourcePolicies(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	doc := `{"Statement":[{"Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com"]},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*","Sid":"Vended"}]}`
	out, err := c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("vended"), PolicyDocument: &doc})
	if err != nil {
		t.Fatal(err)
	}
	if *out.ResourcePolicy.PolicyDocument != doc || out.ResourcePolicy.PolicyScope != types.PolicyScopeAccount {
		t.Errorf("put answered %s", show(out.ResourcePolicy))
	}
	desc, err := c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2008-10-17","Statement":[{"Sid":"Vended","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`
	if len(desc.ResourcePolicies) != 1 || *desc.ResourcePolicies[0].PolicyDocument != want {
		t.Errorf("described %s, want document %s", show(desc.ResourcePolicies), want)
	}
	for i := 1; i < 10; i++ {
		if _, err := c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String(fmt.Sprint("p", i)), PolicyDocument: &doc}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("eleventh"), PolicyDocument: &doc})
	wantErr[types.LimitExceededException](t, err, "Resource limit exceeded.")
	if _, err := c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("vended"), PolicyDocument: aws.String(`{}`)}); err != nil {
		t.Fatalf("updating at the limit: %v", err)
	}
	_, err = c.DeleteResourcePolicy(ctx, &cwl.DeleteResourcePolicyInput{PolicyName: aws.String("ghost")})
	wantErr[types.ResourceNotFoundException](t, err, "Policy with name [ghost] does not exist.")
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("x")})
	wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value null at 'policyDocument' failed to satisfy constraint: Member must not be null")
	if _, err := c.DeleteResourcePolicy(ctx, &cwl.DeleteResourcePolicyInput{PolicyName: aws.String("vended")}); err != nil {
		t.Fatal(err)
	}
	desc, _ = c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{})
	if len(desc.ResourcePolicies) != 9 {
		t.Errorf("%d policies after delete, want 9", len(desc.ResourcePolicies))
	}
	_ = rec

	// A policy on one log group, guarded by its revision.
	mkGroup(t, c, "g")
	garn := logGroupArn(acct, "g")
	put, err := c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("gp"), PolicyDocument: &doc, ResourceArn: &garn})
	if err != nil {
		t.Fatal(err)
	}
	if put.RevisionId == nil || put.ResourcePolicy.PolicyScope != types.PolicyScopeResource {
		t.Fatalf("resource policy answer %s", show(put))
	}
	_, err = c.PutResourcePolicy(ctx, &cwl.PutResourcePolicyInput{PolicyName: aws.String("gp"), PolicyDocument: &doc, ResourceArn: &garn, ExpectedRevisionId: aws.String("stale")})
	wantErr[types.OperationAbortedException](t, err, "")
	rd, err := c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{PolicyScope: types.PolicyScopeResource, ResourceArn: &garn})
	if err != nil || len(rd.ResourcePolicies) != 1 {
		t.Fatalf("describe resource policy: %v %s", err, show(rd))
	}
	if _, err := c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	rd, _ = c.DescribeResourcePolicies(ctx, &cwl.DescribeResourcePoliciesInput{PolicyScope: types.PolicyScopeResource, ResourceArn: &garn})
	if len(rd.ResourcePolicies) != 0 {
		t.Errorf("group policy survived the group: %s", show(rd))
	}
}

func TestDeleteLogGroupUsedByDeliveryDestination(t *testing.T) {
	c := newClient(t)
	mkGroup(t, c, "/vended/cf")
	mkDestination(t, c, "to-cwl", logGroupArn(acct, "/vended/cf"))
	if _, err := c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("/vended/cf")}); err != nil {
		t.Fatalf("AWS lets a destination's log group go: %v", err)
	}
	if _, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String("to-cwl")}); err != nil {
		t.Fatalf("the destination stays: %v", err)
	}
}

func TestLogGroupQuota(t *testing.T) {
	srv := serverWith(t, func(c *config.Config) { c.MaxLogGroups = 2 })
	c := client(srv, acct, region)
	mkGroup(t, c, "a")
	mkGroup(t, c, "b")
	_, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("c")})
	wantErr[types.LimitExceededException](t, err, "Resource limit exceeded.")
	mkGroup(t, client(srv, other, region), "c") // the quota is per account
}

// Log groups, streams and events of one account or region are invisible to
// every other.
func TestLogGroupsStayInTheirAccountAndRegion(t *testing.T) {
	srv := server(t)
	mine := client(srv, acct, region)
	mkGroup(t, mine, "g")
	mkStream(t, mine, "g", "s")
	putEvents(t, mine, "g", "s", nowMs(), "secret")
	for _, c := range []*cwl.Client{client(srv, other, region), client(srv, acct, "eu-west-1")} {
		if got := describeGroups(t, c, &cwl.DescribeLogGroupsInput{}); len(got) != 0 {
			t.Errorf("other scope sees %v", got)
		}
		_, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
		wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
		_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupIdentifier: aws.String(logGroupArn(acct, "g"))})
		wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
		_, err = c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
			LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(nowMs()), Message: aws.String("x")}}})
		wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
		_, err = c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(logGroupArn(acct, "g"))})
		wantErr[types.ResourceNotFoundException](t, err, "")
		_, err = c.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("g")})
		wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	}
	got, err := mine.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if err != nil || len(got.Events) != 1 {
		t.Fatalf("owner's events: %v %v", got, err)
	}
}

package e2e

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlogd/cwlogd/internal/app"
	"github.com/cwlogd/cwlogd/internal/config"
)

// The cross-account delivery flow of the CloudWatch Logs user guide, with
// two SDK clients: account A (acct) owns the delivery source and the
// delivery, account B (other) owns the destination and its policy.

const (
	xDest    = "shared"
	xDestArn = "arn:aws:logs:us-east-1:222222222222:delivery-destination:shared"
	xOrg     = "o-cwlogdtest1"
	aRootArn = "arn:aws:iam::111111111111:root"
	// The AccessDeniedException texts, in IAM's wording.
	msgImplicitDeny = "User: " + aRootArn + " is not authorized to perform: logs:CreateDelivery on resource: " + xDestArn +
		" because no resource-based policy allows the logs:CreateDelivery action"
	msgExplicitDeny = "User: " + aRootArn + " is not authorized to perform: logs:CreateDelivery on resource: " + xDestArn +
		" with an explicit deny in a resource-based policy"
)

// serverArgs starts cwlogd configured from command-line flags, as
// `cwlogd serve` is, on the memory store (or sqlite when
// CWLOGD_TEST_STORE=sqlite).
func serverArgs(t *testing.T, args ...string) *httptest.Server {
	t.Helper()
	args = append([]string{"--store", "memory"}, args...)
	if os.Getenv("CWLOGD_TEST_STORE") == "sqlite" {
		args = append(args, "--store", "sqlite", "--data-dir", t.TempDir())
	}
	fs := flag.NewFlagSet("cwlogd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, err := config.Load(fs, args)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv
}

// xSetup gives A a CloudFront source "src" and B an S3 destination "shared"
// tagged team=logs.
func xSetup(t *testing.T, srv *httptest.Server) (a, b *cwl.Client) {
	t.Helper()
	a, b = client(srv, acct, region), client(srv, other, region)
	mkSource(t, a, "src")
	out, err := b.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{
		Name:                             aws.String(xDest),
		DeliveryDestinationConfiguration: &types.DeliveryDestinationConfiguration{DestinationResourceArn: aws.String(s3Arn("b-bucket"))},
		Tags:                             map[string]string{"team": "logs"},
	})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "B's destination ARN", aws.ToString(out.DeliveryDestination.Arn), xDestArn)
	return a, b
}

// xPolicy is a policy document of the given statements.
func xPolicy(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// xAllow is a statement granting principal logs:CreateDelivery on
// resource, with an optional Condition block.
func xAllow(principal, resource, condition string) string {
	s := `{"Effect":"Allow","Principal":` + principal + `,"Action":"logs:CreateDelivery","Resource":"` + resource + `"`
	if condition != "" {
		s += `,"Condition":` + condition
	}
	return s + `}`
}

const (
	xAAccount = `{"AWS":"111111111111"}`
	xARoot    = `{"AWS":"arn:aws:iam::111111111111:root"}`
	xBDests   = "arn:aws:logs:us-east-1:222222222222:delivery-destination:*"
)

// Outcomes of a request under a destination policy.
const (
	allowed      = "allowed"
	implicitDeny = "AccessDenied (implicit)"
	explicitDeny = "AccessDenied (explicit deny)"
)

// outcome classifies a CreateDelivery or UpdateDeliveryConfiguration answer,
// checking the AccessDeniedException texts exactly.
func outcome(err error) string {
	if err == nil {
		return allowed
	}
	var ad *types.AccessDeniedException
	if errors.As(err, &ad) {
		switch ad.ErrorMessage() {
		case msgImplicitDeny:
			return implicitDeny
		case msgExplicitDeny:
			return explicitDeny
		}
		return "AccessDenied with text " + ad.ErrorMessage()
	}
	return "error " + err.Error()
}

// xScenario is one row of the cross-account matrix.
type xScenario struct {
	name   string
	policy string            // B's destination policy; "" for none
	orgs   bool              // cwlogd runs with --org-accounts o-cwlogdtest1=A,B
	tags   map[string]string // tags A's CreateDelivery sets
	create string            // expected outcome of A's CreateDelivery
	update string            // expected outcome of A's UpdateDeliveryConfiguration
}

var xScenarios = []xScenario{
	{name: "no policy", create: implicitDeny, update: implicitDeny},
	{name: "documented policy (root ARN, three Resource ARNs)", policy: crossAccountPolicy(acct, other), create: allowed, update: allowed},
	{name: "user-guide example (bare account id, destination ARN)", policy: xPolicy(xAllow(xAAccount, xDestArn, "")), create: allowed, update: allowed},
	{name: "Principal \"*\"", policy: xPolicy(xAllow(`"*"`, xBDests, "")), create: allowed, update: allowed},
	{name: "Principal {\"AWS\":\"*\"}, Resource \"*\"", policy: xPolicy(xAllow(`{"AWS":"*"}`, "*", "")), create: allowed, update: allowed},
	{name: "lower-case action logs:createdelivery", policy: strings.Replace(xPolicy(xAllow(xARoot, xDestArn, "")), "logs:CreateDelivery", "logs:createdelivery", 1), create: allowed, update: allowed},
	{name: "Action logs:Create*", policy: strings.Replace(xPolicy(xAllow(xARoot, xDestArn, "")), "logs:CreateDelivery", "logs:Create*", 1), create: allowed, update: allowed},
	{name: "grant to another account", policy: crossAccountPolicy(third, other), create: implicitDeny, update: implicitDeny},
	{name: "grant to a role of A only (caller is A's root)", policy: xPolicy(xAllow(`{"AWS":"arn:aws:iam::111111111111:role/deployer"}`, xBDests, "")), create: implicitDeny, update: implicitDeny},
	{name: "another action only", policy: strings.Replace(xPolicy(xAllow(xARoot, xBDests, "")), "logs:CreateDelivery", "logs:GetDelivery", 1), create: implicitDeny, update: implicitDeny},
	{name: "another destination only", policy: xPolicy(xAllow(xARoot, "arn:aws:logs:us-east-1:222222222222:delivery-destination:other", "")), create: implicitDeny, update: implicitDeny},
	{name: "another region's destinations only", policy: xPolicy(xAllow(xARoot, "arn:aws:logs:us-west-2:222222222222:delivery-destination:*", "")), create: implicitDeny, update: implicitDeny},
	{name: "Allow * and Deny A", policy: xPolicy(xAllow(`"*"`, xBDests, ""), `{"Effect":"Deny","Principal":`+xARoot+`,"Action":"logs:*","Resource":"*"}`), create: explicitDeny, update: explicitDeny},
	{name: "Allow A and Deny everyone but B (NotPrincipal)", policy: xPolicy(xAllow(xAAccount, xBDests, ""), `{"Effect":"Deny","NotPrincipal":{"AWS":"222222222222"},"Action":"logs:CreateDelivery","Resource":"*"}`), create: explicitDeny, update: explicitDeny},
	{name: "Allow A and Deny NotAction logs:CreateDelivery", policy: xPolicy(xAllow(xAAccount, xBDests, ""), `{"Effect":"Deny","Principal":"*","NotAction":"logs:CreateDelivery","Resource":"*"}`), create: allowed, update: allowed},
	{name: "Allow A and Deny NotResource this destination", policy: xPolicy(xAllow(xAAccount, xBDests, ""), `{"Effect":"Deny","Principal":"*","Action":"*","NotResource":"`+xDestArn+`"}`), create: allowed, update: allowed},
	{name: "StringEquals aws:SourceAccount = A", policy: xPolicy(xAllow(`"*"`, xBDests, `{"StringEquals":{"aws:SourceAccount":"111111111111"}}`)), create: allowed, update: allowed},
	{name: "StringEquals aws:SourceAccount = another account", policy: xPolicy(xAllow(`"*"`, xBDests, `{"StringEquals":{"aws:SourceAccount":"333333333333"}}`)), create: implicitDeny, update: implicitDeny},
	{name: "ArnLike aws:SourceArn = A's delivery sources", policy: xPolicy(xAllow(xAAccount, xBDests, `{"ArnLike":{"aws:SourceArn":"arn:aws:logs:*:111111111111:delivery-source:*"}}`)), create: allowed, update: allowed},
	{name: "ArnEquals aws:SourceArn = another source", policy: xPolicy(xAllow(xAAccount, xBDests, `{"ArnEquals":{"aws:SourceArn":"arn:aws:logs:us-east-1:111111111111:delivery-source:other"}}`)), create: implicitDeny, update: implicitDeny},
	{name: "Deny when aws:SourceAccount = A (explicit deny wins)", policy: xPolicy(xAllow(xARoot, "*", ""), `{"Effect":"Deny","Principal":"*","Action":"logs:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}`), create: explicitDeny, update: explicitDeny},
	{name: "StringEquals aws:PrincipalOrgID, A in the org", orgs: true, policy: xPolicy(xAllow(`"*"`, xBDests, `{"StringEquals":{"aws:PrincipalOrgID":"`+xOrg+`"}}`)), create: allowed, update: allowed},
	{name: "StringEquals aws:PrincipalOrgID, no org configured", policy: xPolicy(xAllow(`"*"`, xBDests, `{"StringEquals":{"aws:PrincipalOrgID":"`+xOrg+`"}}`)), create: implicitDeny, update: implicitDeny},
	{name: "Deny StringNotEquals aws:PrincipalOrgID, A in the org", orgs: true, policy: xPolicy(xAllow(xAAccount, xBDests, ""), `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"`+xOrg+`"}}}`), create: allowed, update: allowed},
	{name: "Deny StringNotEquals aws:PrincipalOrgID, no org configured", policy: xPolicy(xAllow(xAAccount, xBDests, ""), `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"`+xOrg+`"}}}`), create: explicitDeny, update: explicitDeny},
	{name: "StringEqualsIfExists aws:PrincipalOrgID, no org configured", policy: xPolicy(xAllow(xAAccount, xBDests, `{"StringEqualsIfExists":{"aws:PrincipalOrgID":"`+xOrg+`"}}`)), create: allowed, update: allowed},
	{name: "StringEquals aws:ResourceTag/Team = logs (tag keys ignore case)", policy: xPolicy(xAllow(xAAccount, xBDests, `{"StringEquals":{"aws:ResourceTag/Team":"logs"}}`)), create: allowed, update: allowed},
	{name: "StringEquals aws:ResourceTag/team = other", policy: xPolicy(xAllow(xAAccount, xBDests, `{"StringEquals":{"aws:ResourceTag/team":"other"}}`)), create: implicitDeny, update: implicitDeny},
	{name: "StringEquals aws:RequestTag/env = test, created with env=test", tags: map[string]string{"env": "test"}, policy: xPolicy(xAllow(xAAccount, xBDests, `{"StringEquals":{"aws:RequestTag/env":"test"}}`)), create: allowed, update: implicitDeny},
	{name: "ForAllValues:StringEquals aws:TagKeys [env], created with env", tags: map[string]string{"env": "test"}, policy: xPolicy(xAllow(xAAccount, xBDests, `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`)), create: allowed, update: allowed},
	{name: "ForAllValues:StringEquals aws:TagKeys [env], created with env and owner", tags: map[string]string{"env": "test", "owner": "a"}, policy: xPolicy(xAllow(xAAccount, xBDests, `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`)), create: implicitDeny, update: allowed},
	{name: "DateGreaterThan aws:CurrentTime 2000-01-01", policy: xPolicy(xAllow(xAAccount, xBDests, `{"DateGreaterThan":{"aws:CurrentTime":"2000-01-01T00:00:00Z"}}`)), create: allowed, update: allowed},
	{name: "DateLessThan aws:CurrentTime 2000-01-01 (expired grant)", policy: xPolicy(xAllow(xAAccount, xBDests, `{"DateLessThan":{"aws:CurrentTime":"2000-01-01T00:00:00Z"}}`)), create: implicitDeny, update: implicitDeny},
	{name: "NumericGreaterThan aws:EpochTime 946684800", policy: xPolicy(xAllow(xAAccount, xBDests, `{"NumericGreaterThan":{"aws:EpochTime":"946684800"}}`)), create: allowed, update: allowed},
	{name: "policy variable: Resource …:${aws:ResourceAccount}:delivery-destination:*", policy: xPolicy(xAllow(xAAccount, "arn:aws:logs:us-east-1:${aws:ResourceAccount}:delivery-destination:*", "")), create: allowed, update: allowed},
	{name: "Statement as one object, no Version", policy: `{"Statement":` + xAllow(xAAccount, xDestArn, "") + `}`, create: allowed, update: allowed},
}

// TestCrossAccountMatrix runs A's CreateDelivery and
// UpdateDeliveryConfiguration into B's destination under each policy of
// xScenarios, and logs the matrix (go test -v -run CrossAccountMatrix).
func TestCrossAccountMatrix(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		rows = map[string]string{}
	)
	t.Cleanup(func() {
		var b strings.Builder
		b.WriteString("\n| scenario | CreateDelivery expected | actual | UpdateDeliveryConfiguration expected | actual |\n|---|---|---|---|---|\n")
		for _, s := range xScenarios {
			b.WriteString(rows[s.name])
		}
		t.Log(b.String())
	})
	for _, s := range xScenarios {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			var srv *httptest.Server
			if s.orgs {
				srv = serverArgs(t, "--org-accounts", xOrg+"=111111111111,222222222222")
			} else {
				srv = server(t)
			}
			a, b := xSetup(t, srv)
			putOrRemove := func(doc string) {
				t.Helper()
				if doc == "" {
					_, err := b.DeleteDeliveryDestinationPolicy(ctx, &cwl.DeleteDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String(xDest)})
					if err != nil {
						t.Fatal(err)
					}
				} else if _, err := putPolicy(b, xDest, doc); err != nil {
					t.Fatalf("B's PutDeliveryDestinationPolicy: %v", err)
				}
			}

			// CreateDelivery under the scenario's policy.
			putOrRemove(s.policy)
			out, err := a.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
				DeliverySourceName: aws.String("src"), DeliveryDestinationArn: aws.String(xDestArn), Tags: s.tags,
			})
			gotCreate := outcome(err)
			var id string
			if err == nil {
				id = aws.ToString(out.Delivery.Id)
				same(t, "delivery ARN", aws.ToString(out.Delivery.Arn), deliveryArn(acct, id))
			} else {
				// Create it under a policy that allows, then put the
				// scenario's policy back for the update.
				putOrRemove(crossAccountPolicy(acct, other))
				id = aws.ToString(mkDelivery(t, a, "src", xDestArn).Id)
				putOrRemove(s.policy)
			}

			// UpdateDeliveryConfiguration under the same policy.
			_, err = a.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{Id: aws.String(id), RecordFields: []string{"date", "time"}})
			gotUpdate := outcome(err)
			wantFields := cloudFrontFields
			if gotUpdate == allowed {
				wantFields = []string{"date", "time"}
			}
			same(t, "recordFields after the update", getDelivery(t, a, id).RecordFields, wantFields)

			mu.Lock()
			rows[s.name] = fmt.Sprintf("| %s | %s | %s | %s | %s |\n", s.name, s.create, gotCreate, s.update, gotUpdate)
			mu.Unlock()
			if gotCreate != s.create {
				t.Errorf("CreateDelivery: %s, want %s", gotCreate, s.create)
			}
			if gotUpdate != s.update {
				t.Errorf("UpdateDeliveryConfiguration: %s, want %s", gotUpdate, s.update)
			}
		})
	}
}

// TestCrossAccountFlow walks the documented flow end to end: B's
// destination and policy, A's delivery, who sees and may change what, and
// what happens when B changes its mind.
func TestCrossAccountFlow(t *testing.T) {
	t.Parallel()
	srv := serverArgs(t, "--org-accounts", xOrg+"=111111111111,222222222222")
	a, b := xSetup(t, srv)

	// B grants A's organization logs:CreateDelivery on its destination.
	grant := xPolicy(`{"Sid":"AllowOrgCreateDelivery","Effect":"Allow","Principal":"*","Action":["logs:CreateDelivery"],"Resource":"` + xDestArn + `",` +
		`"Condition":{"StringEquals":{"aws:PrincipalOrgID":"` + xOrg + `"},"StringEqualsIgnoreCase":{"aws:SourceAccount":["111111111111"]}}}`)
	if _, err := putPolicy(b, xDest, grant); err != nil {
		t.Fatal(err)
	}
	// A cannot read or change B's destination or its policy by name.
	_, err := a.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String(xDest)})
	wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
	_, err = putPolicy(a, xDest, crossAccountPolicy(acct, other))
	wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)

	d, err := a.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
		DeliverySourceName: aws.String("src"), DeliveryDestinationArn: aws.String(xDestArn), Tags: map[string]string{"owner": "a"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(d.Delivery.Id)
	same(t, "delivery", *d.Delivery, types.Delivery{
		Id:                      d.Delivery.Id,
		Arn:                     aws.String(deliveryArn(acct, id)),
		DeliverySourceName:      aws.String("src"),
		DeliveryDestinationArn:  aws.String(xDestArn),
		DeliveryDestinationType: types.DeliveryDestinationTypeS3,
		RecordFields:            cloudFrontFields,
		S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String(cloudFrontSuffix), EnableHiveCompatiblePath: aws.Bool(false)},
		Tags:                    map[string]string{"owner": "a"},
	})

	// The delivery is A's: A lists it, B does not and cannot touch it.
	listed := func(c *cwl.Client) []string {
		out, err := c.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range out.Deliveries {
			ids = append(ids, aws.ToString(d.Id))
		}
		return ids
	}
	same(t, "A's deliveries", listed(a), []string{id})
	same(t, "B's deliveries", listed(b), []string(nil))
	_, err = b.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: aws.String(id)})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
	_, err = b.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: aws.String(id)})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
	_, err = b.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{Id: aws.String(id), RecordFields: []string{"date"}})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
	_, err = b.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(deliveryArn(acct, id)), Tags: map[string]string{"x": "y"}})
	wantErr[types.ResourceNotFoundException](t, err, "")
	same(t, "A's delivery after B's attempts", getDelivery(t, a, id).RecordFields, cloudFrontFields)

	// The destination stays B's: B reads it, A cannot, and B cannot delete
	// it while A delivers into it.
	if _, err := b.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String(xDest)}); err != nil {
		t.Fatal(err)
	}
	_, err = a.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String(xDest)})
	wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
	_, err = b.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String(xDest)})
	wantErr[types.ConflictException](t, err, "")

	// A configures its delivery while the policy allows it.
	update := func() error {
		_, err := a.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{Id: aws.String(id), RecordFields: []string{"date", "time"}})
		return err
	}
	if err := update(); err != nil {
		t.Fatal(err)
	}
	same(t, "recordFields", getDelivery(t, a, id).RecordFields, []string{"date", "time"})

	// B adds a Deny: A's next update is refused with an explicit deny.
	deny := xPolicy(`{"Sid":"AllowOrgCreateDelivery","Effect":"Allow","Principal":"*","Action":"logs:CreateDelivery","Resource":"`+xDestArn+`"}`,
		`{"Sid":"DenyA","Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"logs:*","Resource":"*"}`)
	if _, err := putPolicy(b, xDest, deny); err != nil {
		t.Fatal(err)
	}
	wantErr[types.AccessDeniedException](t, update(), msgExplicitDeny)
	// B removes its policy: the update is refused, nothing allowing it.
	if _, err := b.DeleteDeliveryDestinationPolicy(ctx, &cwl.DeleteDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String(xDest)}); err != nil {
		t.Fatal(err)
	}
	wantErr[types.AccessDeniedException](t, update(), msgImplicitDeny)
	// Another delivery from a second source is refused the same way.
	mkSourceFor(t, a, "src2", cfArn("src2"), "ACCESS_LOGS")
	_, err = a.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: aws.String("src2"), DeliveryDestinationArn: aws.String(xDestArn)})
	wantErr[types.AccessDeniedException](t, err, msgImplicitDeny)

	// A still reads and deletes its own delivery without any policy.
	same(t, "recordFields", getDelivery(t, a, id).RecordFields, []string{"date", "time"})
	if _, err := a.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: aws.String(id)}); err != nil {
		t.Fatalf("A's DeleteDelivery: %v", err)
	}
	same(t, "A's deliveries after the delete", listed(a), []string(nil))
	if _, err := b.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String(xDest)}); err != nil {
		t.Fatalf("B's DeleteDeliveryDestination once the delivery is gone: %v", err)
	}
}

// An account outside the organization is refused by an org-scoped grant.
func TestCrossAccountOrgOutsider(t *testing.T) {
	t.Parallel()
	srv := serverArgs(t, "--org-accounts", xOrg+"=222222222222;o-otherorg1=111111111111")
	a, b := xSetup(t, srv)
	if _, err := putPolicy(b, xDest, xPolicy(xAllow(`"*"`, xBDests, `{"StringEquals":{"aws:PrincipalOrgID":"`+xOrg+`"}}`))); err != nil {
		t.Fatal(err)
	}
	_, err := a.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: aws.String("src"), DeliveryDestinationArn: aws.String(xDestArn)})
	wantErr[types.AccessDeniedException](t, err, msgImplicitDeny)
	// B's own delivery into its destination needs no policy at all.
	mkSourceFor(t, b, "b-src", "arn:aws:cloudfront::222222222222:distribution/EB", "ACCESS_LOGS")
	mkDelivery(t, b, "b-src", xDestArn)
}

// PutDeliveryDestinationPolicy refuses documents IAM would refuse, with the
// one text AWS answers, and keeps the policy it had.
func TestDestinationPolicyValidation(t *testing.T) {
	t.Parallel()
	_, b := xSetup(t, server(t))
	good := crossAccountPolicy(acct, other)
	if _, err := putPolicy(b, xDest, good); err != nil {
		t.Fatal(err)
	}
	stmt := func(s string) string { return xPolicy(s) }
	bad := map[string]string{
		"not JSON":                     `{"Version":`,
		"a JSON array":                 `[]`,
		"no Statement":                 `{"Version":"2012-10-17"}`,
		"empty Statement":              `{"Version":"2012-10-17","Statement":[]}`,
		"unknown top-level element":    `{"Version":"2012-10-17","Statement":[` + xAllow(xAAccount, "*", "") + `],"Extra":1}`,
		"unknown Version":              `{"Version":"2020-01-01","Statement":[` + xAllow(xAAccount, "*", "") + `]}`,
		"lower-case Effect":            stmt(`{"Effect":"allow","Principal":"*","Action":"logs:CreateDelivery","Resource":"*"}`),
		"no Principal":                 stmt(`{"Effect":"Allow","Action":"logs:CreateDelivery","Resource":"*"}`),
		"NotPrincipal with Allow":      stmt(`{"Effect":"Allow","NotPrincipal":{"AWS":"333333333333"},"Action":"logs:CreateDelivery","Resource":"*"}`),
		"no Action":                    stmt(`{"Effect":"Allow","Principal":"*","Resource":"*"}`),
		"Action and NotAction":         stmt(`{"Effect":"Allow","Principal":"*","Action":"logs:CreateDelivery","NotAction":"logs:GetDelivery","Resource":"*"}`),
		"no Resource":                  stmt(`{"Effect":"Allow","Principal":"*","Action":"logs:CreateDelivery"}`),
		"action without a vendor":      stmt(`{"Effect":"Allow","Principal":"*","Action":"CreateDelivery","Resource":"*"}`),
		"Resource not an ARN":          stmt(`{"Effect":"Allow","Principal":"*","Action":"logs:CreateDelivery","Resource":"shared"}`),
		"principal neither id nor ARN": stmt(`{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"logs:CreateDelivery","Resource":"*"}`),
		"partial wildcard principal":   stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"logs:CreateDelivery","Resource":"*"}`),
		"unknown condition operator":   stmt(xAllow(xAAccount, "*", `{"StringEqualsAny":{"aws:SourceAccount":"111111111111"}}`)),
		"duplicate Sid":                xPolicy(`{"Sid":"A","Effect":"Allow","Principal":"*","Action":"logs:CreateDelivery","Resource":"*"}`, `{"Sid":"A","Effect":"Deny","Principal":"*","Action":"logs:CreateDelivery","Resource":"*"}`),
		"a member named twice":         stmt(`{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"logs:CreateDelivery","Resource":"*"}`),
		"malformed date":               stmt(xAllow(xAAccount, "*", `{"DateLessThan":{"aws:CurrentTime":"soon"}}`)),
	}
	names := make([]string, 0, len(bad))
	for name := range bad {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		_, err := putPolicy(b, xDest, bad[name])
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		var ve *types.ValidationException
		if !errors.As(err, &ve) || ve.ErrorMessage() != msgInvalidPolicy {
			t.Errorf("%s: %v, want ValidationException %q", name, err, msgInvalidPolicy)
		}
	}
	same(t, "policy kept", aws.ToString(getPolicy(t, b, xDest).DeliveryDestinationPolicy), compactJSON(t, good))
}

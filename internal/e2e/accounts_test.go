package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlogd/cwlogd/internal/config"
)

// Resources live in one account and region.
func TestAccountAndRegionIsolation(t *testing.T) {
	t.Parallel()
	srv := server(t)
	owner := client(srv, acct, region)
	mkSource(t, owner, "src")
	dst := mkDestination(t, owner, "dst", s3Arn("bucket"))
	d := mkDelivery(t, owner, "src", *dst.Arn)

	outsiders := map[string]*cwl.Client{
		"other account":      client(srv, other, region),
		"other region":       client(srv, acct, westRegion),
		"other acct+region":  client(srv, other, westRegion),
		"non-account key":    client(srv, "AKIDEXAMPLE", region),
		"default account id": client(srv, defaultAcct, region),
	}
	for name, c := range outsiders {
		t.Run(name, func(t *testing.T) {
			_, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("src")})
			wantErr[types.ResourceNotFoundException](t, err, msgSourceNotFound)
			_, err = c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String("dst")})
			wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
			_, err = c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: d.Id})
			wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
			_, err = c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: d.Id})
			wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
			_, err = c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("src")})
			wantErr[types.ResourceNotFoundException](t, err, msgSourceNotFound)
			_, err = c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String("dst")})
			wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)

			srcs, err := c.DescribeDeliverySources(ctx, &cwl.DescribeDeliverySourcesInput{})
			if err != nil {
				t.Fatal(err)
			}
			dsts, err := c.DescribeDeliveryDestinations(ctx, &cwl.DescribeDeliveryDestinationsInput{})
			if err != nil {
				t.Fatal(err)
			}
			dels, err := c.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{})
			if err != nil {
				t.Fatal(err)
			}
			if len(srcs.DeliverySources)+len(dsts.DeliveryDestinations)+len(dels.Deliveries) != 0 {
				t.Fatalf("sees %s %s %s", show(srcs.DeliverySources), show(dsts.DeliveryDestinations), show(dels.Deliveries))
			}
		})
	}

	// The same names are free in another account and region.
	for _, sc := range []struct{ account, region string }{{other, region}, {acct, westRegion}} {
		c := client(srv, sc.account, sc.region)
		got := mkSourceFor(t, c, "src", "arn:aws:bedrock:"+sc.region+":"+sc.account+":agent/ABCDEFGHIJ", "APPLICATION_LOGS")
		same(t, "ARN", aws.ToString(got.Arn), logsArn(sc.account, sc.region, "delivery-source", "src"))
		gotDst := mkDestination(t, c, "dst", s3Arn("bucket"))
		same(t, "ARN", aws.ToString(gotDst.Arn), logsArn(sc.account, sc.region, "delivery-destination", "dst"))
	}
	// And the owner's resources are untouched.
	if got := getDelivery(t, owner, *d.Id); aws.ToString(got.DeliveryDestinationArn) != *dst.Arn {
		t.Errorf("owner's delivery changed: %s", show(got))
	}
}

// An access key that is not an account id acts as the default account.
func TestDefaultAccount(t *testing.T) {
	t.Parallel()
	srv := server(t)
	c := client(srv, "AKIDEXAMPLE", region)
	got := mkSource(t, c, "src")
	same(t, "ARN", aws.ToString(got.Arn), "arn:aws:logs:us-east-1:000000000000:delivery-source:src")
	dst := mkDestination(t, c, "dst", s3Arn("bucket"))
	same(t, "ARN", aws.ToString(dst.Arn), "arn:aws:logs:us-east-1:000000000000:delivery-destination:dst")

	// Another such key and the account id itself see the same resources.
	for _, key := range []string{"AKIAIOSFODNN7EXAMPLE", defaultAcct} {
		out, err := client(srv, key, region).GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("src")})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		same(t, key+" sees", aws.ToString(out.DeliverySource.Arn), aws.ToString(got.Arn))
	}
}

// Account A (acct) delivers into account B's (other) destination once B's
// policy lets it.
func TestCrossAccountDelivery(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) (a, b *cwl.Client, dstArn string) {
		srv := server(t)
		a, b = client(srv, acct, region), client(srv, other, region)
		mkSource(t, a, "src")
		dstArn = *mkDestination(t, b, "shared", s3Arn("b-bucket")).Arn
		same(t, "destination ARN", dstArn, "arn:aws:logs:us-east-1:222222222222:delivery-destination:shared")
		return a, b, dstArn
	}
	create := func(a *cwl.Client, dstArn string) (*types.Delivery, error) {
		out, err := a.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
			DeliverySourceName: aws.String("src"), DeliveryDestinationArn: aws.String(dstArn),
		})
		if err != nil {
			return nil, err
		}
		return out.Delivery, nil
	}

	t.Run("no policy", func(t *testing.T) {
		t.Parallel()
		a, _, dstArn := setup(t)
		_, err := create(a, dstArn)
		wantErr[types.AccessDeniedException](t, err, "")
	})
	t.Run("policy for another account", func(t *testing.T) {
		t.Parallel()
		a, b, dstArn := setup(t)
		if _, err := putPolicy(b, "shared", crossAccountPolicy(third, other)); err != nil {
			t.Fatal(err)
		}
		_, err := create(a, dstArn)
		wantErr[types.AccessDeniedException](t, err, "")
	})
	t.Run("policy removed", func(t *testing.T) {
		t.Parallel()
		a, b, dstArn := setup(t)
		if _, err := putPolicy(b, "shared", crossAccountPolicy(acct, other)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.DeleteDeliveryDestinationPolicy(ctx, &cwl.DeleteDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String("shared")}); err != nil {
			t.Fatal(err)
		}
		_, err := create(a, dstArn)
		wantErr[types.AccessDeniedException](t, err, "")
	})
	t.Run("policy variants", func(t *testing.T) {
		t.Parallel()
		stmt := func(effect, principal, resource string) string {
			return `{"Effect":"` + effect + `","Principal":` + principal + `,"Action":"logs:CreateDelivery","Resource":"` + resource + `"}`
		}
		doc := func(stmts ...string) string {
			return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		}
		const (
			allDests = "arn:aws:logs:us-east-1:222222222222:delivery-destination:*"
			aRoot    = `{"AWS":"arn:aws:iam::111111111111:root"}`
		)
		tests := []struct {
			name    string
			policy  string
			allowed bool
		}{
			{"account id principal", doc(stmt("Allow", `{"AWS":"111111111111"}`, allDests)), true},
			{"principal list", doc(stmt("Allow", `{"AWS":["arn:aws:iam::333333333333:root","arn:aws:iam::111111111111:root"]}`, allDests)), true},
			{"any principal", doc(stmt("Allow", `"*"`, allDests)), true},
			{"this destination by name", doc(stmt("Allow", aRoot, "arn:aws:logs:us-east-1:222222222222:delivery-destination:shared")), true},
			{"another destination only", doc(stmt("Allow", aRoot, "arn:aws:logs:us-east-1:222222222222:delivery-destination:other")), false},
			{"another action only", doc(`{"Effect":"Allow","Principal":` + aRoot + `,"Action":"logs:GetDelivery","Resource":"` + allDests + `"}`), false},
			{"explicit deny wins", doc(stmt("Allow", `"*"`, allDests), stmt("Deny", aRoot, allDests)), false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				a, b, dstArn := setup(t)
				if _, err := putPolicy(b, "shared", tt.policy); err != nil {
					t.Fatal(err)
				}
				_, err := create(a, dstArn)
				if tt.allowed {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
				} else {
					wantErr[types.AccessDeniedException](t, err, "")
				}
			})
		}
	})
	t.Run("unknown destination in the other account", func(t *testing.T) {
		t.Parallel()
		a, _, _ := setup(t)
		_, err := create(a, destinationArn(other, "nope"))
		wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
	})
	t.Run("allowed", func(t *testing.T) {
		t.Parallel()
		a, b, dstArn := setup(t)
		if _, err := putPolicy(b, "shared", crossAccountPolicy(acct, other)); err != nil {
			t.Fatal(err)
		}
		d, err := create(a, dstArn)
		if err != nil {
			t.Fatal(err)
		}
		id := aws.ToString(d.Id)
		want := types.Delivery{
			Id:                      d.Id,
			Arn:                     aws.String("arn:aws:logs:us-east-1:111111111111:delivery:" + id),
			DeliverySourceName:      aws.String("src"),
			DeliveryDestinationArn:  aws.String(dstArn),
			DeliveryDestinationType: types.DeliveryDestinationTypeS3,
			RecordFields:            cloudFrontFields,
			S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String(cloudFrontSuffix), EnableHiveCompatiblePath: aws.Bool(false)},
		}
		same(t, "CreateDelivery", *d, want)
		same(t, "A's GetDelivery", *getDelivery(t, a, id), want)

		_, err = b.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: d.Id})
		wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
		if out, err := b.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{}); err != nil || len(out.Deliveries) != 0 {
			t.Errorf("B lists %v (err %v)", show(out), err)
		}

		// A configures its delivery as any other.
		_, err = a.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{Id: d.Id, RecordFields: []string{"date", "time"}})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "recordFields after update", getDelivery(t, a, id).RecordFields, []string{"date", "time"})
		if err := tag(a, *d.Arn, map[string]string{"owner": "a"}); err != nil {
			t.Fatal(err)
		}
		same(t, "tags", listTags(t, a, *d.Arn), map[string]string{"owner": "a"})
		_, err = b.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: d.Arn})
		wantErr[types.ResourceNotFoundException](t, err, "")

		// B cannot delete its destination while A delivers into it.
		_, err = b.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("shared")})
		wantErr[types.ConflictException](t, err, "")
		// The one-per-type rule holds across accounts too.
		own := mkDestination(t, a, "own", s3Arn("a-bucket"))
		_, err = create(a, *own.Arn)
		wantErr[types.ConflictException](t, err, msgSameTypeExists)

		if _, err := a.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: d.Id}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("shared")}); err != nil {
			t.Fatalf("delete after the delivery is gone: %v", err)
		}
	})
}

// Access keys configured for an account act as that account.
func TestConfiguredAccessKey(t *testing.T) {
	t.Parallel()
	srv := serverWith(t, func(c *config.Config) { c.AccessKeys = map[string]string{"AKIDALICE": other} })
	got := mkSource(t, client(srv, "AKIDALICE", region), "src")
	same(t, "ARN", aws.ToString(got.Arn), sourceArn(other, "src"))
	if _, err := client(srv, other, region).GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("src")}); err != nil {
		t.Errorf("the account itself does not see it: %v", err)
	}
}

// ARNs carry the partition of the region.
func TestPartition(t *testing.T) {
	t.Parallel()
	c := client(server(t), acct, "cn-north-1")
	src := mkSourceFor(t, c, "src", "arn:aws-cn:elasticloadbalancing:cn-north-1:111111111111:loadbalancer/app/my-lb/0123456789abcdef", "ALB_ACCESS_LOGS")
	same(t, "source ARN", aws.ToString(src.Arn), "arn:aws-cn:logs:cn-north-1:111111111111:delivery-source:src")
	dst := mkDestination(t, c, "dst", "arn:aws-cn:s3:::bucket")
	same(t, "destination ARN", aws.ToString(dst.Arn), "arn:aws-cn:logs:cn-north-1:111111111111:delivery-destination:dst")
	d := mkDelivery(t, c, "src", *dst.Arn)
	same(t, "delivery ARN", aws.ToString(d.Arn), "arn:aws-cn:logs:cn-north-1:111111111111:delivery:"+aws.ToString(d.Id))
	same(t, "tags", listTags(t, c, *d.Arn), map[string]string{})
}

// Quotas count per account and region; overwrites and re-creates after a
// delete are not new resources.
func TestQuotas(t *testing.T) {
	t.Parallel()
	srv := serverWith(t, func(c *config.Config) {
		c.MaxDeliverySources, c.MaxDeliveryDests, c.MaxDeliveries = 2, 2, 1
	})
	a := client(srv, acct, region)
	mkSource(t, a, "s1")
	mkSource(t, a, "s2")
	_, err := a.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String("s3"), ResourceArn: aws.String(cfArn("s3")), LogType: aws.String("ACCESS_LOGS")})
	wantErr[types.ServiceQuotaExceededException](t, err, "")
	mkSource(t, a, "s2") // overwrite

	mkDestination(t, a, "d1", s3Arn("bucket"))
	mkDestination(t, a, "d2", logGroupArn(acct, "g"))
	_, err = a.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{Name: aws.String("d3"), DeliveryDestinationConfiguration: destConfig(s3Arn("bucket"))})
	wantErr[types.ServiceQuotaExceededException](t, err, "")
	mkDestination(t, a, "d1", s3Arn("bucket-2")) // overwrite

	d := mkDelivery(t, a, "s1", destinationArn(acct, "d1"))
	_, err = a.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: aws.String("s2"), DeliveryDestinationArn: aws.String(destinationArn(acct, "d2"))})
	wantErr[types.ServiceQuotaExceededException](t, err, "")
	if _, err := a.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: d.Id}); err != nil {
		t.Fatal(err)
	}
	mkDelivery(t, a, "s2", destinationArn(acct, "d2"))

	if _, err := a.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	mkSource(t, a, "s3")

	// Other accounts and regions have their own counts.
	for _, c := range []*cwl.Client{client(srv, other, region), client(srv, acct, westRegion)} {
		for _, name := range []string{"x1", "x2"} {
			mkSourceFor(t, c, name, "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/"+name+"/0123456789abcdef", "ALB_ACCESS_LOGS")
			mkDestination(t, c, name, s3Arn("bucket-"+name))
		}
	}
}

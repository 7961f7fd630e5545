package model

import "strings"

// ARN is a parsed Amazon Resource Name.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string // everything after the fifth colon
}

// ParseARN splits arn into its parts; ok is false unless it has the
// "arn:partition:service:region:account:resource" form with a non-empty
// partition, service and resource.
func ParseARN(arn string) (ARN, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return ARN{}, false
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}

func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Partition is the ARN partition of a region.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	}
	return "aws"
}

// Resource kinds of the log-delivery family, as they appear in ARNs.
const (
	KindSource      = "delivery-source"
	KindDestination = "delivery-destination"
	KindDelivery    = "delivery"
	KindLogGroup    = "log-group"
)

// LogsARN names a CloudWatch Logs resource of kind in scope.
func LogsARN(s Scope, kind, name string) string {
	return "arn:" + Partition(s.Region) + ":logs:" + s.Region + ":" + s.Account + ":" + kind + ":" + name
}

// ParseLogsARN splits a CloudWatch Logs ARN of the delivery family into its
// scope, kind and name.
func ParseLogsARN(arn string) (s Scope, kind, name string, ok bool) {
	a, ok := ParseARN(arn)
	if !ok || a.Service != "logs" || a.Region == "" || a.Account == "" {
		return Scope{}, "", "", false
	}
	kind, name, found := strings.Cut(a.Resource, ":")
	if !found || name == "" {
		return Scope{}, "", "", false
	}
	return Scope{Account: a.Account, Region: a.Region}, kind, name, true
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

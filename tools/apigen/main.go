// Command apigen generates internal/api/zz_generated.go, the wire shapes and
// shape validators of the CloudWatch Logs operations cwlogd serves, from the
// botocore service model.
//
// Run from the module root:
//
//	go run ./tools/apigen [-model ../shared/spec/service-2.json] [-out internal/api/zz_generated.go]
//
// -ops all (or a comma-separated list) generates other operations instead,
// to try out an extension of the list.
//
// To generate more operations, add them to operations below.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// operations are the operations whose input and output types and
// validators are generated.
var operations = []string{
	// Delivery sources.
	"PutDeliverySource",
	"GetDeliverySource",
	"DescribeDeliverySources",
	"DeleteDeliverySource",
	// Delivery destinations and their policies.
	"PutDeliveryDestination",
	"GetDeliveryDestination",
	"DescribeDeliveryDestinations",
	"DeleteDeliveryDestination",
	"PutDeliveryDestinationPolicy",
	"GetDeliveryDestinationPolicy",
	"DeleteDeliveryDestinationPolicy",
	// Deliveries.
	"CreateDelivery",
	"GetDelivery",
	"DescribeDeliveries",
	"DeleteDelivery",
	"UpdateDeliveryConfiguration",
	"DescribeConfigurationTemplates",
	// Tagging.
	"TagResource",
	"UntagResource",
	"ListTagsForResource",
	// Log groups, streams and events.
	"CreateLogGroup",
	"DeleteLogGroup",
	"DescribeLogGroups",
	"ListLogGroups",
	"CreateLogStream",
	"DeleteLogStream",
	"DescribeLogStreams",
	"PutLogEvents",
	"GetLogEvents",
	"FilterLogEvents",
	"PutRetentionPolicy",
	"DeleteRetentionPolicy",
	"TagLogGroup",
	"UntagLogGroup",
	"ListTagsLogGroup",
	// Resource policies.
	"PutResourcePolicy",
	"DescribeResourcePolicies",
	"DeleteResourcePolicy",
}

// enumOrderOverrides gives, per enum shape, the order in which AWS lists the
// allowed values in "Member must satisfy enum value set" messages where it
// differs from the model's order (as recorded from AWS).
var enumOrderOverrides = map[string][]string{
	"OutputFormat": {"w3c", "raw", "json", "plain", "parquet"},
}

func main() {
	model := flag.String("model", "../shared/spec/service-2.json", "botocore service model (service-2.json)")
	out := flag.String("out", "internal/api/zz_generated.go", "Go file to write")
	only := flag.String("ops", "", "comma-separated operations to generate instead of the built-in list, or \"all\" (for trying out extensions)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "apigen: unexpected arguments:", flag.Args())
		os.Exit(2)
	}
	ops := operations
	if *only != "" {
		ops = strings.Split(*only, ",")
	}
	if err := run(*model, *out, ops); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

// run generates the code for ops from the model at modelPath into out.
func run(modelPath, out string, ops []string) error {
	m, err := LoadModel(modelPath)
	if err != nil {
		return err
	}
	if len(ops) == 1 && ops[0] == "all" {
		ops = sortedKeys(m.Operations)
	}
	src, err := Generate(m, ops)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

package api

// zz_generated.go is generated from the botocore model of CloudWatch Logs;
// the operations it covers are listed in tools/apigen/main.go.
//go:generate go run ../../tools/apigen -model ../../../shared/spec/service-2.json -out zz_generated.go

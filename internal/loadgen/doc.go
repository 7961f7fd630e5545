// Package loadgen is cwlogd's bounded load generator, behind `cwlogd bench`:
// a few keep-alive clients that send SigV4-signed AWS JSON 1.1 requests for
// one operation to a loopback endpoint for a fixed number of requests or a
// fixed time, and report throughput and latency percentiles. It also holds
// the bare baseline server the benchmarks compare against and the readiness
// probe that times a server's start-up.
//
// It only ever talks to loopback addresses, and every run is bounded.
//
// It imports nothing from the project.
package loadgen

// Package loadgen is cwlogd's bounded load generator, behind `cwlogd bench`:
// a few keep-alive clients that send SigV4-signed AWS JSON 1.1 requests for
// one operation to a loopback endpoint for a fixed number of requests or a
// fixed time, and report throughput and latency percentiles. The operations
// are delivery-API calls and log events: PutLogEvents batches (reported in
// events/s and MB/s too), and GetLogEvents pages and FilterLogEvents
// searches over a stream the setup fills once. It also holds the bare
// baseline server the benchmarks compare against and the readiness probe
// that times a server's start-up.
//
// It only ever talks to loopback addresses, and every run, its setup
// included, is bounded.
//
// Of the project it imports only httpserve (to serve the baseline) and
// model. It reads the answers to log-event calls in the measured loop with a
// small JSON scanner of its own, which counts events and picks nextToken
// without decoding the rest.
package loadgen

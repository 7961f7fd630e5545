package loadgen

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// IsLoopbackHost reports whether host (a URL host without port, IPv6
// addresses without brackets) is the local machine: "localhost", an address
// in 127.0.0.0/8, or ::1.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if i := strings.IndexByte(host, '%'); i >= 0 { // zone, as in ::1%lo
		host = host[:i]
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckEndpoint parses an http:// or https:// URL and refuses it unless its
// host is loopback: the load generator only ever aims at this machine.
func CheckEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: want http://HOST:PORT", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("endpoint %q: no host", raw)
	}
	if !IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("endpoint %q: host %q is not loopback (127.0.0.0/8, ::1 or localhost)", raw, u.Hostname())
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("endpoint %q: want only scheme, host and port", raw)
	}
	u.Path = "/"
	return u, nil
}

// CheckListen refuses a listen address (host:port) whose host is not
// loopback.
func CheckListen(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen %q: %w", addr, err)
	}
	if !IsLoopbackHost(host) {
		return fmt.Errorf("listen %q: host %q is not loopback (127.0.0.0/8, ::1 or localhost)", addr, host)
	}
	return nil
}

package provider

import (
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func responseError(status int) error {
	return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
		Err:      errors.New("api error"),
	}}
}

// TestPurchaseCertainlyNotMade covers the error shapes one by one; TestPurchaseRetryDecisions
// produces the real ones, timeouts included.
func TestPurchaseCertainlyNotMade(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"client error: AWS validated and refused", responseError(400), true},
		{"server error: AWS may have bought", responseError(500), false},
		{"unavailable: AWS may have bought", responseError(503), false},
		{"connection refused", &smithyhttp.RequestSendError{Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, true},
		{"DNS failure", &smithyhttp.RequestSendError{Err: &net.DNSError{Err: "no such host", Name: "api.sagemaker"}}, true},
		{"connection reset while reading", &smithyhttp.RequestSendError{Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, false},
	}
	for _, tc := range cases {
		if got := purchaseCertainlyNotMade(tc.err); got != tc.want {
			t.Errorf("%s: purchaseCertainlyNotMade = %v, want %v", tc.name, got, tc.want)
		}
	}
}

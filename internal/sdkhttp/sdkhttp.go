// Package sdkhttp holds the HTTP client wrapper every AWS SDK client of this project uses.
package sdkhttp

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Wrap returns a client that hands net/http request bodies it can read to the end after the
// SDK has closed them.
//
// smithy-go (v1.28.9) closes a request's body as soon as Do returns, and the closed body's
// WriteTo answers io.EOF. After writing a body, net/http reads it once more, through WriteTo,
// to check that it is done; when the answer arrives before that read, as it can from a local
// server, net/http takes the io.EOF for a failed write and closes the connection under the
// answer. The SDK then resends a read, and a purchase becomes an unclear failure. Offering only
// Read, whose io.EOF net/http expects, keeps the connection.
func Wrap(next aws.HTTPClient) aws.HTTPClient {
	return readOnlyBodies{next}
}

type readOnlyBodies struct{ next aws.HTTPClient }

func (c readOnlyBodies) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = struct{ io.ReadCloser }{req.Body}
	}
	return c.next.Do(req)
}

// WithAttemptTimeout returns a client that gives up on a request, and its answer's body, after
// timeout. The SDK sends each attempt of a call as its own request, so this bounds one attempt
// and leaves the retries of a call to their own limits.
func WithAttemptTimeout(next aws.HTTPClient, timeout time.Duration) aws.HTTPClient {
	return attemptTimeout{next: next, timeout: timeout}
}

type attemptTimeout struct {
	next    aws.HTTPClient
	timeout time.Duration
}

func (c attemptTimeout) Do(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), c.timeout)
	resp, err := c.next.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends a request's context once its answer has been read.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	defer b.cancel()
	return b.ReadCloser.Close()
}

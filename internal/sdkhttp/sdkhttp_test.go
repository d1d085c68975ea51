package sdkhttp_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tfsagemaker/terraform-provider-sagemaker/internal/sdkhttp"
)

// closedSmithyBody reads like a request body whose WriteTo answers io.EOF, as smithy-go's
// does once the SDK has closed it: the state net/http finds when an answer came first.
type closedSmithyBody struct{ *bytes.Reader }

func (closedSmithyBody) WriteTo(io.Writer) (int64, error) { return 0, io.EOF }
func (closedSmithyBody) Close() error                     { return nil }

func TestWrapLetsNetHTTPFinishAClosedBody(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, _ = w.Write(body)
	}))
	t.Cleanup(server.Close)
	request := func() *http.Request {
		req, err := http.NewRequest(http.MethodPost, server.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Body, req.ContentLength = closedSmithyBody{bytes.NewReader([]byte(`{"MaxResults":100}`))}, 18
		return req
	}

	// Whether the answer beats net/http's last read is a race: net/http fails when it does,
	// which it does most of the time here. One failure in twenty shows the failure Wrap avoids.
	failed := false
	for range 20 {
		resp, err := server.Client().Do(request())
		if err != nil {
			failed = true
			break
		}
		_ = resp.Body.Close()
	}
	if !failed {
		t.Fatal("net/http took the io.EOF of WriteTo for a finished body twenty times: this test no longer shows the failure Wrap avoids")
	}
	resp, err := sdkhttp.Wrap(server.Client()).Do(request())
	if err != nil {
		t.Fatalf("through Wrap: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if got, _ := io.ReadAll(resp.Body); string(got) != `{"MaxResults":100}` {
		t.Errorf("the server read %q", got)
	}
}

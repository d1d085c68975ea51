package emulator

import (
	"encoding/json"
	"testing"
)

// FuzzOperationRequests feeds arbitrary bodies to every operation: each must answer with a
// client error or a body that encodes, never panic, and never buy anything it was not offered.
func FuzzOperationRequests(f *testing.F) {
	arn := "arn:aws:sagemaker:us-west-2:123456789012:training-plan/p1"
	f.Add(OpExtendTrainingPlan, []byte(`{"TrainingPlanExtensionOfferingId":"tpeo-00"}`))
	f.Add(OpDescribeTrainingPlanExtensionHistory, []byte(`{"TrainingPlanArn":"`+arn+`","MaxResults":100,"NextToken":"b2Zmc2V0OjE"}`))
	f.Add(OpSearchTrainingPlanOfferings, []byte(`{"TrainingPlanArn":"`+arn+`","DurationHours":4368}`))
	f.Add(OpDescribeTrainingPlan, []byte(`{"TrainingPlanName":"p1"}`))
	f.Add(OpDescribeTrainingPlan, []byte(`{"TrainingPlanName":1e400}`))
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		e := New(Config{})
		e.AddPlan(PlanSpec{Name: "p1"})
		handler := e.operation(op)
		if handler == nil {
			return
		}
		out, apiErr := handler(body)
		if apiErr != nil {
			if apiErr.Status < 400 || apiErr.Status >= 500 {
				t.Fatalf("%s answered %d %s, want a 4xx client error", op, apiErr.Status, apiErr.Code)
			}
		} else if _, err := json.Marshal(out); err != nil {
			t.Fatalf("%s answer does not encode: %v", op, err)
		}
		if e.Purchases() != 0 {
			t.Fatalf("%s bought an extension that was never offered", op)
		}
	})
}

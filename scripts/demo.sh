#!/usr/bin/env bash
# Buys a training plan extension from a real terraform apply against the local emulator:
# builds the provider and the emulator, points Terraform at the build with dev_overrides,
# applies examples/complete, shows the result and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
terraform=${TERRAFORM:-terraform}
demo=$PWD/.demo
rm -rf "$demo" && mkdir -p "$demo/bin" "$demo/work"

echo "==> Building the provider and the emulator"
go build -o "$demo/bin/terraform-provider-sagemaker" .
go build -o "$demo/sagemaker-emulator" ./internal/emulator/cmd/sagemaker-emulator

echo "==> Starting the SageMaker emulator"
"$demo/sagemaker-emulator" -plan demo-plan -pending-delay 3s -url-file "$demo/url" &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null || true; wait $emulator_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$demo/url" ] && break; sleep 0.1; done
url=$(cat "$demo/url")

# dev_overrides runs the fresh build. Offline, terraform init still looks the provider up, so a
# local mirror of the same build answers it instead of the Registry.
mirror="$demo/mirror/registry.terraform.io/tfsagemaker/sagemaker/0.0.1/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$mirror" && cp "$demo/bin/terraform-provider-sagemaker" "$mirror/"
cat > "$demo/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "tfsagemaker/sagemaker" = "$demo/bin"
  }
  filesystem_mirror {
    path    = "$demo/mirror"
    include = ["tfsagemaker/sagemaker"]
  }
}
RC
cp examples/complete/main.tf "$demo/work/"

# The emulator's test credentials, through the same variables a real setup uses.
export TF_CLI_CONFIG_FILE="$demo/terraformrc"
export AWS_REGION=us-west-2
export AWS_ACCESS_KEY_ID=AKIAEMULATOREXAMPLE1
export AWS_SECRET_ACCESS_KEY=emulatorSecretKeyDoNotUseInAWS0000000000
export AWS_ENDPOINT_URL_SAGEMAKER="$url"
export AWS_ENDPOINT_URL_STS="$url"
export TF_IN_AUTOMATION=1

cd "$demo/work"
echo "==> terraform init"
"$terraform" init -input=false -no-color
echo "==> terraform plan: the quote it will buy"
"$terraform" plan -input=false -no-color -out=extension.tfplan -var training_plan_name=demo-plan > plan.txt
grep -E 'upfront_fee|currency_code|duration_hours|start_date|end_date|Plan:' plan.txt | grep -v 'known after apply'
echo "==> terraform apply of that saved plan"
"$terraform" apply -input=false -auto-approve -no-color extension.tfplan
echo "==> The purchased extension, as Terraform stored it"
"$terraform" state show -no-color sagemaker_training_plan_extension.this
echo "==> A second plan changes nothing: the bought extension is kept"
"$terraform" plan -input=false -no-color -detailed-exitcode -var training_plan_name=demo-plan

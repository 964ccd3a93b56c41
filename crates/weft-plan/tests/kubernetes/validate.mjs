// Validates Kubernetes documents (a JSON array on standard input) against
// the schemas of the API versions they name, as the model packages ship
// them: kubernetes-models (apps/v1 Deployment) and @kubernetes-models/keda
// (keda.sh/v1alpha1 ScaledObject, from KEDA's CRD). Prints one line per
// document; exits 1 when one is refused or its kind is not known here.
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";

const MODELS = {
  "apps/v1 Deployment": Deployment,
  "keda.sh/v1alpha1 ScaledObject": ScaledObject,
};

let input = "";
for await (const chunk of process.stdin) input += chunk;
let failed = 0;
for (const doc of JSON.parse(input)) {
  const key = `${doc.apiVersion} ${doc.kind}`;
  const Model = MODELS[key];
  if (Model === undefined) {
    console.log(`refused ${key}: no schema for this API version and kind`);
    failed++;
    continue;
  }
  try {
    new Model(doc).validate();
    console.log(`valid ${key} ${doc.metadata?.name}`);
  } catch (e) {
    console.log(`refused ${key} ${doc.metadata?.name}: ${e.message}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);

import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { LifecycleScript, retry, RetryPolicy, script, scriptStdin } from "../shell/privateScript";

/**
 * Some operators register their CRDs only once they run (Cilium's operator does), so a custom
 * resource declared right after the Helm release could hit "no matches for kind". This waits,
 * bounded, until the CRDs are established.
 */
export function crdsEstablishedScript(crds: string[], policy: RetryPolicy): LifecycleScript {
    const wait = `kubectl --kubeconfig "$dir/kubeconfig" wait --for=condition=established --timeout=10s ${crds.map((c) => `crd/${c}`).join(" ")} >/dev/null 2>&1`;
    return script(["kubeconfig"], [...retry(wait, `CRDs ${crds.join(", ")}`, policy), `echo "established: ${crds.join(", ")}"`]);
}

const crdRetry = { attempts: 60, delaySeconds: 5 };

export function crdGate(name: string, crds: string[], kubeconfig: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): command.local.Command {
    const gate = crdsEstablishedScript(crds, crdRetry);
    return new command.local.Command(name, {
        create: gate.text,
        stdin: pulumi.secret(pulumi.output(kubeconfig).apply((k) => scriptStdin(gate, { kubeconfig: k }))),
    }, { ...opts, ignoreChanges: ["stdin"] });
}

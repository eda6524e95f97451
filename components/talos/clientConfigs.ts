import { stringify } from "yaml";

/**
 * Client configs for people and for later layers, rendered locally from client certificates
 * that the cluster CAs signed: no talosctl call is needed to get credentials.
 */

export interface ClientCredentials {
    caPem: string;
    certPem: string;
    keyPem: string;
}

/** kubectl config for `admin@<cluster>` (client certificate with O=system:masters). */
export function renderKubeconfig(clusterName: string, server: string, credentials: ClientCredentials): string {
    const user = `admin@${clusterName}`;
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": base64(credentials.caPem) } }],
        users: [{ name: user, user: { "client-certificate-data": base64(credentials.certPem), "client-key-data": base64(credentials.keyPem) } }],
        contexts: [{ name: user, context: { cluster: clusterName, user, namespace: "default" } }],
        "current-context": user,
    });
}

/** talosctl config (client certificate with O=os:admin), pointing at the control-plane nodes. */
export function renderTalosconfig(clusterName: string, endpoints: string[], nodes: string[], credentials: ClientCredentials): string {
    return stringify({
        context: clusterName,
        contexts: {
            [clusterName]: {
                endpoints,
                nodes,
                ca: base64(credentials.caPem),
                crt: base64(credentials.certPem),
                key: base64(credentials.keyPem),
            },
        },
    });
}

function base64(text: string): string {
    return Buffer.from(text).toString("base64");
}

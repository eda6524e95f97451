/**
 * A cluster CA from cert-manager: a self-signed issuer signs one CA certificate, and a CA
 * ClusterIssuer issues from it. LINSTOR's internal and API TLS use that issuer.
 */
export const certManagerNamespace = "cert-manager";
export const clusterCaIssuerName = "ironcloud-ca";

export const certManagerValues = { crds: { enabled: true, keep: true } };

export function selfSignedIssuer() {
    return { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "ironcloud-selfsigned" }, spec: { selfSigned: {} } };
}

export function clusterCaCertificate() {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: clusterCaIssuerName, namespace: certManagerNamespace },
        spec: {
            isCA: true,
            commonName: "ironcloud cluster CA",
            secretName: clusterCaIssuerName,
            duration: "87600h",
            privateKey: { algorithm: "ECDSA", size: 256 },
            issuerRef: { name: "ironcloud-selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" },
        },
    };
}

export function clusterCaIssuer() {
    return { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: clusterCaIssuerName }, spec: { ca: { secretName: clusterCaIssuerName } } };
}

/**
 * A cluster CA from cert-manager: a self-signed issuer signs one CA certificate, and a CA
 * ClusterIssuer issues from it. LINSTOR's internal and API TLS use that issuer.
 */
export const certManagerNamespace = "cert-manager";
export const defaultCaIssuerName = "ironcloud-ca";
export const defaultSelfSignedIssuerName = "ironcloud-selfsigned";

export const certManagerValues = { crds: { enabled: true, keep: true } };

/** Names of the two ClusterIssuers; the CA Certificate and its Secret share the CA issuer's name. */
export interface IssuerNames {
    /** Name of the CA ClusterIssuer, its Certificate and its Secret. */
    caIssuerName: string;
    /** Name of the self-signed ClusterIssuer that signs the CA. */
    selfSignedIssuerName: string;
}

export function selfSignedIssuer({ selfSignedIssuerName }: IssuerNames) {
    return { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: selfSignedIssuerName }, spec: { selfSigned: {} } };
}

export function clusterCaCertificate({ caIssuerName, selfSignedIssuerName }: IssuerNames) {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: caIssuerName, namespace: certManagerNamespace },
        spec: {
            isCA: true,
            commonName: "ironcloud cluster CA",
            secretName: caIssuerName,
            duration: "87600h",
            privateKey: { algorithm: "ECDSA", size: 256 },
            issuerRef: { name: selfSignedIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
    };
}

export function clusterCaIssuer({ caIssuerName }: IssuerNames) {
    return { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: caIssuerName }, spec: { ca: { secretName: caIssuerName } } };
}

/** How a Piraeus resource names the issuer it takes certificates from. */
export function certManagerIssuer(caIssuerName: string) {
    return { name: caIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" };
}

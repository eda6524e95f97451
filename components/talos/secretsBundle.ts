/** A CA as PEM text: the certificate and, where the holder may sign, its private key. */
export interface CertificateAuthority {
    crt: string;
    key: string;
}

/** The plain values of the cluster PKI and shared secrets that machine configs carry. */
export interface TalosSecretsBundle {
    osCa: CertificateAuthority;
    kubernetesCa: CertificateAuthority;
    aggregatorCa: CertificateAuthority;
    etcdCa: CertificateAuthority;
    serviceAccountKey: string;
    bootstrapToken: string;
    trustdToken: string;
    clusterId: string;
    clusterSecret: string;
    secretboxEncryptionSecret: string;
}

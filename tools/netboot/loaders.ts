/**
 * The iPXE builds a machine's PXE firmware loads over TFTP, per client architecture (DHCP option
 * 93, RFC 4578). Debian's `ipxe` package ships the x86 ones in /usr/lib/ipxe; it has no arm64
 * build, so arm64 machines netboot only when `--arm64-loader` names one (an arm64 iPXE EFI build
 * such as iPXE's `snp.efi`).
 */
export interface Loader {
    /** Option 93's value: 0 BIOS, 7 and 9 x86-64 UEFI, 11 arm64 UEFI. */
    clientArch: number;
    /** The name in netboot's TFTP root. */
    tftpName: string;
    /** Where the file comes from. */
    source: string;
}

export const debianIpxeDir = "/usr/lib/ipxe";

/**
 * The loaders to offer. x86-64 UEFI firmware reports 7 (EFI BC) more often than the 9 RFC 4578
 * assigns it, so both get ipxe.efi.
 */
export function loaders(arm64Loader: string | undefined, ipxeDir = debianIpxeDir): Loader[] {
    return [
        { clientArch: 0, tftpName: "undionly.kpxe", source: `${ipxeDir}/undionly.kpxe` },
        { clientArch: 7, tftpName: "ipxe.efi", source: `${ipxeDir}/ipxe.efi` },
        { clientArch: 9, tftpName: "ipxe.efi", source: `${ipxeDir}/ipxe.efi` },
        ...(arm64Loader === undefined ? [] : [{ clientArch: 11, tftpName: "ipxe-arm64.efi", source: arm64Loader }]),
    ];
}

import { Loader } from "./loaders";

/**
 * dnsmasq's configuration for netboot: proxy-DHCP only (the site's DHCP server keeps handing out
 * addresses; dnsmasq adds just the boot information), its TFTP server for the iPXE loaders, no
 * DNS. PXE firmware gets the iPXE loader of its architecture (one pxe-service per architecture:
 * BIOS through a one-item boot menu, UEFI by dnsmasq's workaround of sending the file from port
 * 4011); iPXE (DHCP user class "iPXE") gets the URL of its per-MAC boot script in the proxy offer.
 * Client architectures are numbers: dnsmasq's names for 7 and 9 follow the PXE spec, not RFC 4578.
 */
export interface DnsmasqSettings {
    stack: string;
    interface: string;
    /** The server's IPv4 address on that interface, and the network it is on. */
    address: string;
    network: string;
    netmask: string;
    tftpRoot: string;
    leaseFile: string;
    httpPort: number;
    loaders: Loader[];
    /** The MACs to answer; undefined answers every PXE client (cluster.netboot.unknownMachines: default). */
    onlyMacs: string[] | undefined;
}

/** iPXE fills in the MAC of the card it booted from and its own architecture before it fetches. */
export function bootScriptUrl(address: string, httpPort: number): string {
    return `http://${address}:${httpPort}/boot.ipxe?mac=\${netX/mac}&arch=\${buildarch}`;
}

export function dnsmasqConfig(settings: DnsmasqSettings): string {
    const lines = [
        `# dnsmasq for \`npm run netboot\` (stack ${settings.stack}): written at start, removed at stop.`,
        "# No DNS, no addresses: proxy-DHCP beside the site's DHCP server, and TFTP for the iPXE loaders.",
        "port=0",
        "no-resolv",
        "no-hosts",
        `interface=${settings.interface}`,
        "bind-interfaces",
        `dhcp-range=${settings.network},proxy,${settings.netmask}`,
        `dhcp-leasefile=${settings.leaseFile}`,
        "log-dhcp",
        "enable-tftp",
        `tftp-root=${settings.tftpRoot}`,
        "dhcp-userclass=set:ipxe,iPXE",
        ...settings.loaders.map((loader) => `pxe-service=tag:!ipxe,${loader.clientArch},"ironcloud ${settings.stack}: iPXE",${loader.tftpName}`),
        `dhcp-boot=tag:ipxe,${bootScriptUrl(settings.address, settings.httpPort)}`,
    ];
    if (settings.onlyMacs !== undefined) {
        lines.push("# cluster.netboot.unknownMachines: refuse. Only the stack's nodes get an answer; other machines boot as if netboot were not here.");
        lines.push(...settings.onlyMacs.map((mac) => `dhcp-host=${mac},set:node`));
        lines.push("dhcp-ignore=tag:!node");
    }
    return `${lines.join("\n")}\n`;
}

import { parseArgs } from "node:util";
import { runNetboot } from "./netboot/serve";

const usage = [
    "usage: npm run netboot -- --stack <name> | --config-file <path/Pulumi.<name>.yaml> --interface <ifname>",
    "         (--assets <dir> | --proxy) [--address <ipv4 of the interface>] [--http-port <n>] [--tftp-root <dir>] [--arm64-loader <file>]",
    "Serves the stack's Talos boot assets to its nodes by MAC: proxy-DHCP and TFTP (dnsmasq), iPXE script, kernel and initramfs (HTTP). Runs as root; Ctrl-C stops.",
].join("\n");

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            "config-file": { type: "string" },
            interface: { type: "string" },
            assets: { type: "string" },
            proxy: { type: "boolean", default: false },
            address: { type: "string" },
            "http-port": { type: "string", default: "8080" },
            "tftp-root": { type: "string" },
            "arm64-loader": { type: "string" },
        },
    });
    const httpPort = Number(values["http-port"]);
    const oneStack = (values.stack === undefined) !== (values["config-file"] === undefined);
    const oneSource = (values.assets === undefined) === values.proxy;
    if (!oneStack || !oneSource || values.interface === undefined || !Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65535) {
        console.error(usage);
        return 2;
    }
    return runNetboot({
        stack: values.stack,
        configFile: values["config-file"],
        stacksDir: "stacks",
        interface: values.interface,
        assets: values.assets,
        address: values.address,
        httpPort,
        tftpRoot: values["tftp-root"],
        arm64Loader: values["arm64-loader"],
    }, (line) => console.log(line));
}

main().then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});

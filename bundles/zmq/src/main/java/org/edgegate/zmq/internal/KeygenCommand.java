package org.edgegate.zmq.internal;

import org.edgegate.config.GatewayPaths;
import org.edgegate.zmq.socket.CurveKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.edgegate.commands.Subcommands;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.zeromq.ZCert;

/**
 * {@code gw:zmq keygen [name]}: writes a CURVE key pair to {@code etc/zmq/<name>.key} (public) and
 * {@code etc/zmq/<name>.key_secret}.
 */
@Component(service = KeygenCommand.class, immediate = true,
        property = {"osgi.command.scope=gw", "osgi.command.function=zmq"})
public class KeygenCommand {
    static final String KEYGEN = "keygen [<name>] - write a CURVE key pair etc/zmq/<name>.key (public) and"
            + " <name>.key_secret (name: edgegate when left out); refuses to overwrite";

    private final Subcommands zmq = new Subcommands("gw:zmq").on(KEYGEN, this::keygen);
    private Path etc;

    @Activate
    void activate(BundleContext context) {
        etc = GatewayPaths.etc(context::getProperty);
    }

    @Descriptor("ZeroMQ tools:\n  " + KEYGEN)
    public Object zmq(@Descriptor("keygen, then its arguments (gw:zmq --help)") String... args) throws Exception {
        return zmq.run(args);
    }

    private String keygen(List<String> args) throws IOException {
        String name = args.isEmpty() ? "edgegate" : args.get(0);
        if (name.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + name + " (gw:zmq keygen --help shows the usage)");
        }
        return generate(etc.resolve("zmq"), name);
    }

    static String generate(Path dir, String name) throws IOException {
        ZCert cert = CurveKeys.generate(dir, name);
        return "public key " + cert.getPublicKeyAsZ85() + "\n"
                + "wrote " + dir.resolve(name + ".key") + " (give it to peers)\n"
                + "wrote " + dir.resolve(name + ".key_secret") + " (keep it here: curve.keypair=zmq/" + name
                + ".key_secret)\n";
    }
}

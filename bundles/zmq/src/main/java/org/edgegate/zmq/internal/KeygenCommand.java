package org.edgegate.zmq.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.zeromq.ZCert;

/**
 * {@code gw:zmq-keygen [name]}: writes a CURVE key pair to {@code etc/zmq/<name>.key} (public) and
 * {@code etc/zmq/<name>.key_secret}; registered for Gogo by the shell bundle's whiteboard of dashed
 * commands.
 */
@Component(service = KeygenCommand.class, immediate = true,
        property = {"edgegate.command.scope=gw", "edgegate.command.function=zmq-keygen"})
public class KeygenCommand {
    private Path etc;

    @Activate
    void activate(BundleContext context) {
        etc = CurveKeys.etc(context::getProperty);
    }

    @Descriptor("write a CURVE key pair etc/zmq/edgegate.key (public) and edgegate.key_secret; refuses to overwrite")
    public String zmqKeygen() throws IOException {
        return zmqKeygen("edgegate");
    }

    @Descriptor("write a CURVE key pair etc/zmq/<name>.key (public) and <name>.key_secret; refuses to overwrite")
    public String zmqKeygen(@Descriptor("name") String name) throws IOException {
        if (name.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + name + " (gw:zmq-keygen --help shows the usage)");
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

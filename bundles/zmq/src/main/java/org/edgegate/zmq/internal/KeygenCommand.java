package org.edgegate.zmq.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.zeromq.ZCert;

/**
 * {@code gw:zmq-keygen [name]}: writes a CURVE key pair to {@code etc/zmq/<name>.key} (public) and
 * {@code etc/zmq/<name>.key_secret}. A {@link Function} because a Java method cannot carry the hyphen of
 * the command's name.
 */
@Component(service = Function.class, property = { "osgi.command.scope=gw", "osgi.command.function=zmq-keygen" })
public class KeygenCommand implements Function {
    private Path etc;

    @Activate
    void activate(BundleContext context) {
        etc = CurveKeys.etc(context::getProperty);
    }

    static final String USAGE = "usage: gw:zmq-keygen [name]   writes etc/zmq/<name>.key and <name>.key_secret "
            + "(default name: edgegate)";

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws IOException {
        if (arguments.size() > 1 || (arguments.size() == 1 && String.valueOf(arguments.get(0)).startsWith("-"))) {
            return USAGE;
        }
        String name = arguments.isEmpty() ? "edgegate" : String.valueOf(arguments.get(0));
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

package org.edgegate.mqtt.internal;

import java.io.IOException;
import java.util.Dictionary;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Finding and creating the configuration a remote configuration request names (a PID or a {@link PidAlias}). */
final class ConfigAccess {
    private ConfigAccess() {
    }

    /** The PID an alias stands for: the configuration of its factory with that id, or the one to create. */
    static String resolve(ConfigurationAdmin cm, PidAlias alias) throws IOException, InvalidSyntaxException {
        // the factory PID is one of PidAlias's constants: no filter syntax in it
        Configuration[] all = cm.listConfigurations("(service.factoryPid=" + alias.factoryPid() + ")");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            Dictionary<String, Object> p = c.getProperties();
            if (p != null && alias.names(c.getFactoryPid(), p.get("id"))) {
                return c.getPid();
            }
        }
        return alias.newPid();
    }

    static Configuration find(ConfigurationAdmin cm, String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = cm.listConfigurations("(service.pid=" + pid + ")"); // pid checked: no filter syntax
        return found == null || found.length == 0 ? null : found[0];
    }

    static Configuration create(ConfigurationAdmin cm, String pid) throws IOException {
        int tilde = pid.indexOf('~');
        return tilde < 0 ? cm.getConfiguration(pid, "?")
                : cm.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
    }
}

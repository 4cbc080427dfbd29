package org.edgegate.http.internal.login;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * No shipped password: at a start that finds no Web Console password in {@code etc/} (the first one, or
 * after an operator removed the line), a random one is made, only its salted hash is stored (the
 * console's file, 0600; File Install applies it), and the password itself is shown once: in the log
 * (and so on the console) and in {@code data/}{@value PasswordFile#INITIAL}, readable by the owner only,
 * until {@code bin/edgegate-passwd} sets another. Until the hash is applied nobody logs in: the console's
 * fallback ({@code felix.webconsole.password} in {@code etc/config.properties}) matches no password.
 */
@Component(immediate = true, service = {})
public class InitialPassword {
    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Activate
    void activate(BundleContext context) {
        Path etc = folder(context.getProperty("felix.fileinstall.dir"), context.getProperty("edgegate.home"), "etc");
        Path data = folder(context.getProperty("edgegate.data"), context.getProperty("edgegate.home"), "data");
        if (etc == null || data == null) {
            log.info("Web Console password: no etc/ folder known (felix.fileinstall.dir, edgegate.home): left as configured");
            return;
        }
        PasswordFile file = new PasswordFile(etc);
        try {
            if (file.hasPassword()) {
                return;
            }
            String password = PasswordFile.generate(new SecureRandom());
            Path shown = data.resolve(PasswordFile.INITIAL);
            PasswordFile.writePrivately(shown, password + "\n");
            file.setPassword(password);
            log.warn("Web Console: no password was set, so one was generated for user '{}': {} (also in {}, readable "
                    + "by this user only; its salted hash is in {}). Set your own with bin/edgegate-passwd.",
                    file.user(), password, shown, file.path());
        } catch (IOException | RuntimeException e) {
            log.error("Web Console: cannot set the initial password in {} ({}): nobody can log in until "
                    + "bin/edgegate-passwd sets one", file.path(), e.toString());
        }
    }

    private static Path folder(String configured, String home, String below) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        return home == null || home.isBlank() ? null : Path.of(home.trim(), below);
    }
}

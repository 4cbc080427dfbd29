package org.edgegate.http.internal.login;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Web Console logs in through the gateway's one login too: a console security provider (ranked above
 * the console's built-in one) that asks {@link LoginContext} for the console's user and password, so the
 * throttle, the log and the no-default-password rule are the same there. Tokens do not open the console.
 */
@Component(service = SecurityProvider.class, property = {
        SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurity.ID, "service.ranking:Integer=1000" })
public class ConsoleSecurity implements SecurityProvider {
    static final String ID = "edgegate";

    @Reference
    private LoginContext login;

    /**
     * Registered only once the console is up (its servlet context exists): Web Console 5.0.8 fails to
     * start (NullPointerException in OsgiManager's constructor) when a security provider is there first.
     */
    @Reference(target = "(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)")
    private ServletContextHelper consoleContext;

    @Override
    public Object authenticate(HttpServletRequest req, HttpServletResponse resp) {
        String user = login.user(req);
        if (user != null && !user.isEmpty()) {
            return user;
        }
        try {
            login.refuse(resp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return true;                  // one user, the administrator
    }

    @Override
    public void logout(HttpServletRequest req, HttpServletResponse resp) {
        // HTTP Basic has no logout: the browser forgets the login when it closes
    }
}

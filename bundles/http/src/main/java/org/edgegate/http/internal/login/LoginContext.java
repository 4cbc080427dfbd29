package org.edgegate.http.internal.login;

import java.io.IOException;
import java.util.Dictionary;
import java.util.List;

import org.edgegate.http.internal.HttpConfig;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.context.ServletContextHelper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The gateway's one HTTP login: the servlet context every EdgeGate servlet selects with
 * {@code osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgegate)}. A request gets
 * through with the Web Console's user and password (HTTP Basic; clear or hashed, read from the console's
 * configuration at every request, so a changed password applies at once) or with the token of the part
 * it asks for (see {@link #TOKENS}); anything else gets 401 with the console's realm, so a browser logged
 * into the console is let in without asking again.
 */
@Component(service = { ServletContextHelper.class, LoginContext.class }, property = {
        "osgi.http.whiteboard.context.name=" + LoginContext.NAME,
        "osgi.http.whiteboard.context.path=/" })
public class LoginContext extends ServletContextHelper {
    /** The context's name, for {@code osgi.http.whiteboard.context.select}. */
    public static final String NAME = "edgegate";

    /** A token that lets a client in where it cannot send a user and password: which paths, where configured. */
    record TokenScope(String path, String pid, String key, boolean query) {
        boolean covers(String requestPath) {
            return requestPath.equals(path) || path.endsWith("/") && requestPath.startsWith(path);
        }
    }

    /** The camera streams' token (also as {@code ?token=}) and the metrics' bearer token, each for its own paths. */
    static final List<TokenScope> TOKENS = List.of(
            new TokenScope("/edgegate/cameras/", HttpConfig.PID, ".token", true),
            new TokenScope("/edgegate/clips/", HttpConfig.PID, ".token", true), // the clips bundle's servlet
            new TokenScope("/metrics", "org.edgegate.metrics", ".bearer.token", false));

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Override
    public boolean handleSecurity(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String user = user(req);
        if (user != null) {
            req.setAttribute(REMOTE_USER, user);
            req.setAttribute(AUTHENTICATION_TYPE, user.isEmpty() ? "TOKEN" : HttpServletRequest.BASIC_AUTH);
            return true;
        }
        refuse(resp);
        return false;
    }

    /** 401, asking for the console's login. */
    void refuse(HttpServletResponse resp) throws IOException {
        resp.setHeader("WWW-Authenticate", "Basic realm=\"" + login().realm().replace("\"", "") + "\", charset=\"UTF-8\"");
        resp.sendError(HttpServletResponse.SC_UNAUTHORIZED, "log in as to the Web Console, or give the token");
    }

    /** The user a request logs in as ("" for a token), or null when it does not. */
    String user(HttpServletRequest req) {
        String authorization = req.getHeader("Authorization");
        String path = path(req);
        for (TokenScope scope : TOKENS) {
            if (scope.covers(path)) {
                String token = token(scope);
                if (ConsoleLogin.bearer(authorization, token)
                        || scope.query() && !token.isEmpty() && ConsoleLogin.same(req.getParameter("token"), token)) {
                    return "";
                }
            }
        }
        ConsoleLogin login = login();
        return login.acceptsBasic(authorization) ? login.user() : null;
    }

    /** The decoded path the servlet was chosen by (never the raw URI, which may hide a ".."). */
    static String path(HttpServletRequest req) {
        String servletPath = req.getServletPath() == null ? "" : req.getServletPath();
        return req.getPathInfo() == null ? servletPath : servletPath + req.getPathInfo();
    }

    /** The console's login as configured now (it may change while the gateway runs). */
    ConsoleLogin login() {
        try {
            Dictionary<String, Object> p = properties(ConsoleLogin.PID);
            return ConsoleLogin.of(p);
        } catch (IOException | InvalidSyntaxException e) {
            log.warn("cannot read the Web Console's login ({}): only tokens are accepted", e.toString());
            return new ConsoleLogin("", "{unavailable}", ConsoleLogin.DEFAULT.realm());
        }
    }

    private String token(TokenScope scope) {
        try {
            Dictionary<String, Object> p = properties(scope.pid());
            Object value = p == null ? null : p.get(scope.key());
            if ((value == null || String.valueOf(value).isBlank()) && p != null && scope.pid().equals(HttpConfig.PID)) {
                value = p.get(HttpConfig.LEGACY_TOKEN); // deprecated, warned about by StreamsStatus
            }
            return value == null ? "" : String.valueOf(value).trim();
        } catch (IOException | InvalidSyntaxException e) {
            log.warn("cannot read the token of {} ({}): not accepted", scope.pid(), e.toString());
            return "";
        }
    }

    private Dictionary<String, Object> properties(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
        return found == null || found.length == 0 ? null : found[0].getProperties();
    }
}

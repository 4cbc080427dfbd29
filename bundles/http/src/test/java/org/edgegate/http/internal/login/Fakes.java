package org.edgegate.http.internal.login;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Plain stand-ins for the servlet request and response, Configuration Admin and the logger (no mocking library). */
final class Fakes {
    private Fakes() {
    }

    /** A request: method, URI (with an optional query), headers; remote address 127.0.0.1 unless given as "@addr". */
    static final class Request {
        String method;
        String servletPath;
        String pathInfo;
        String query;
        String remote = "127.0.0.1";
        long contentLength = -1;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final Map<String, Object> attributes = new HashMap<>();

        Request(String method, String uri) {
            this.method = method;
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            query = q < 0 ? null : uri.substring(q + 1);
            int second = path.indexOf('/', 1);
            servletPath = second < 0 ? path : path.substring(0, second);
            pathInfo = second < 0 ? null : path.substring(second);
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request from(String address) {
            remote = address;
            return this;
        }

        Request length(long bytes) {
            contentLength = bytes;
            return this;
        }

        HttpServletRequest http() {
            return (HttpServletRequest) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                    new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getHeader" -> headers.get((String) args[0]);
                        case "getServletPath" -> servletPath;
                        case "getPathInfo" -> pathInfo;
                        case "getRequestURI" -> servletPath + (pathInfo == null ? "" : pathInfo);
                        case "getQueryString" -> query;
                        case "getRemoteAddr" -> remote;
                        case "getContentLengthLong" -> contentLength;
                        case "getContentLength" -> (int) contentLength;
                        case "getParameter" -> parameter((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "toString" -> method + " " + servletPath;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        private String parameter(String name) {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
            return null;
        }
    }

    /** A response that remembers its status, headers and error text. */
    static final class Response {
        int status = 200;
        String message;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        HttpServletResponse http() {
            return (HttpServletResponse) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                    new Class<?>[] { HttpServletResponse.class }, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "getHeader" -> {
                                return headers.get((String) args[0]);
                            }
                            case "setStatus" -> status = (Integer) args[0];
                            case "getStatus" -> {
                                return status;
                            }
                            case "sendError" -> {
                                status = (Integer) args[0];
                                message = args.length > 1 ? (String) args[1] : null;
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }
    }

    /** Configuration Admin holding these configurations (PID to properties). */
    static ConfigurationAdmin configurations(Map<String, Map<String, Object>> byPid) {
        return (ConfigurationAdmin) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] { ConfigurationAdmin.class }, (proxy, m, args) -> {
                    if (!m.getName().equals("listConfigurations")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    String filter = (String) args[0];
                    String pid = filter.substring(filter.indexOf('=') + 1, filter.length() - 1);
                    Map<String, Object> p = byPid.get(pid);
                    if (p == null) {
                        return null;
                    }
                    Dictionary<String, Object> d = new Hashtable<>(p);
                    return new Configuration[] { (Configuration) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                            new Class<?>[] { Configuration.class }, (c, cm, cargs) -> {
                                if (cm.getName().equals("getProperties")) {
                                    return d;
                                }
                                throw new UnsupportedOperationException(cm.getName());
                            }) };
                });
    }

    /** A logger whose warnings (formatted with their arguments) land in the list. */
    static Logger logger(List<String> warnings) {
        return (Logger) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] { Logger.class },
                (proxy, m, args) -> {
                    if (m.getName().equals("warn")) {
                        String text = String.valueOf(args[0]);
                        List<Object> values = new ArrayList<>();
                        for (int i = 1; i < args.length; i++) {
                            if (args[i] instanceof Object[] array) {
                                values.addAll(List.of(array));
                            } else {
                                values.add(args[i]);
                            }
                        }
                        for (Object v : values) {
                            text = text.replaceFirst("\\{\\}", Matcher.quoteReplacement(String.valueOf(v)));
                        }
                        warnings.add(text);
                    }
                    return m.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    /** Sets a private field (what DS would inject). */
    static void inject(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}

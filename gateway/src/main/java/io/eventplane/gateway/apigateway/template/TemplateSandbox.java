package io.eventplane.gateway.apigateway.template;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.UberspectImpl;
import org.apache.velocity.util.introspection.VelMethod;
import org.apache.velocity.util.introspection.VelPropertyGet;
import org.apache.velocity.util.introspection.VelPropertySet;

/**
 * What a mapping template may call: the methods of API Gateway's variables ({@code $input},
 * {@code $util}, {@code $context}, ...) and of the values they hand out (strings, numbers, booleans,
 * maps, lists, arrays, and {@code $foreach}, which is a map) and nothing else. A template comes from any API's author and
 * runs inside the server, so Velocity's default (every public method of every object) is cut down to
 * an allow-list; {@code getClass()} and anything returning a class, class loader or thread is refused
 * even on allowed values, so no path leads from the data to reflection.
 *
 * <p>A refused call behaves as an unknown method does in Velocity: it renders as nothing.
 */
public final class TemplateSandbox extends UberspectImpl {
  private static final Set<String> REFUSED_METHODS = Set.of("getClass", "wait", "notify", "notifyAll",
      "hashCode", "getDeclaringClass", "describeConstable", "resolveConstantDesc",
      // String methods that allocate as much as asked for, in one call the loop budget cannot stop.
      "repeat", "format", "formatted");

  @Override
  public VelMethod getMethod(Object obj, String methodName, Object[] args, Info info) {
    if (!allowed(obj) || REFUSED_METHODS.contains(methodName)) return null;
    VelMethod method = super.getMethod(obj, methodName, args, info);
    if (method == null || !allowedResult(method.getReturnType())) return null;
    return method;
  }

  @Override
  public VelPropertyGet getPropertyGet(Object obj, String identifier, Info info) {
    if (!allowed(obj)) return null;
    VelPropertyGet getter = super.getPropertyGet(obj, identifier, info);
    if (getter == null) return null;
    String name = getter.getMethodName();
    if (name != null && REFUSED_METHODS.contains(name)) return null;
    return getter;
  }

  @Override
  public VelPropertySet getPropertySet(Object obj, String identifier, Object arg, Info info) {
    return allowed(obj) ? super.getPropertySet(obj, identifier, arg, info) : null;
  }

  @Override
  public Iterator getIterator(Object obj, Info info) {
    return allowed(obj) ? super.getIterator(obj, info) : null;
  }

  static boolean allowed(Object obj) {
    return obj == null
        || obj instanceof String || obj instanceof Number || obj instanceof Boolean || obj instanceof Character
        || obj instanceof Map || obj instanceof Collection || obj instanceof Map.Entry || obj instanceof Iterator
        || obj instanceof TemplateInput || obj instanceof TemplateUtil
        || obj.getClass().isArray();
  }

  private static boolean allowedResult(Class<?> type) {
    if (type == null) return true;
    Class<?> t = type.isArray() ? type.getComponentType() : type;
    return !(Class.class.isAssignableFrom(t) || ClassLoader.class.isAssignableFrom(t) || Thread.class.isAssignableFrom(t)
        || t.getName().startsWith("java.lang.reflect.") || t.getName().startsWith("java.lang.invoke.")
        || t == Module.class || t == Package.class || t == Runtime.class || t == ProcessHandle.class);
  }
}

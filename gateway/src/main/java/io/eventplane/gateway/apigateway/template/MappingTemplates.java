package io.eventplane.gateway.apigateway.template;

import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.exception.MethodInvocationException;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.ParseException;

/**
 * Renders a REST API's (API Gateway v1) mapping templates: Velocity Template Language with API Gateway's
 * variables {@code $input}, {@code $util}, {@code $context} and {@code $stageVariables}, for the request
 * template (method request to integration request) and the response template (integration response to
 * method response).
 *
 * <p>Velocity is set up as API Gateway's Velocity 1.7 behaves: hyphens allowed in identifiers (the Kinesis
 * tutorial's {@code $elem.partition-key}), 1.7's whitespace handling ({@code #set} lines leave no blank
 * line, other directive lines keep theirs), {@code #if} true for any value but null and false, and at most
 * 1,000 iterations per {@code #foreach} (API Gateway's quota). Null and missing references render as
 * nothing. It is also locked down, since templates are written by any API's author: no resource loaders
 * ({@code #parse} and {@code #include} find nothing), macros local to their template, and calls only to
 * API Gateway's variables and plain values ({@link TemplateSandbox}). The output is capped at API Gateway's
 * 10 MB payload limit, and a render's loops stop at a time budget ({@link BudgetedForeach}).
 *
 * <p>Thread-safe: a template's text is parsed once and the parsed form cached (by text, least recently used
 * first out); each render gets its own variables. Rendering is CPU work bounded by the loop cap and output
 * cap and the time budget; it does no I/O. A template can still make large strings
 * ({@code #set($s = "$s$s")} in a loop): authors of templates are the platform's users, who can also run
 * functions, so the limits guard against mistakes more than against them.
 */
public final class MappingTemplates {
  /** API Gateway's quota: "Number of iterations in a #foreach ... #end loop in mapping templates". */
  public static final int MAX_FOREACH_ITERATIONS = 1_000;
  /** API Gateway's payload limit, in characters of rendered output. */
  public static final int MAX_OUTPUT_CHARS = 10 * 1024 * 1024;
  /** How long one render may loop, by default: far above a real template's milliseconds. */
  public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(1);
  private static final int CACHED_TEMPLATES = 512;

  private final RuntimeInstance velocity = new RuntimeInstance();
  private final long budgetNanos;
  private final Map<String, Template> parsed = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
      return size() > CACHED_TEMPLATES;
    }
  };

  public MappingTemplates() {
    this(DEFAULT_TIME_BUDGET);
  }

  /** @param timeBudget how long one render's loops may run before it fails with a {@link TemplateException} */
  public MappingTemplates(Duration timeBudget) {
    this.budgetNanos = timeBudget.toNanos();
    Properties p = new Properties();
    p.setProperty(RuntimeConstants.CUSTOM_DIRECTIVES, BudgetedForeach.class.getName());
    p.setProperty(RuntimeConstants.RESOURCE_LOADERS, "none");
    p.setProperty("resource.loader.none.class", NoResourceLoader.class.getName());
    p.setProperty(RuntimeConstants.VM_LIBRARY, "");
    p.setProperty(RuntimeConstants.VM_PERM_INLINE_LOCAL, "true");
    p.setProperty(RuntimeConstants.UBERSPECT_CLASSNAME, TemplateSandbox.class.getName());
    p.setProperty(RuntimeConstants.EVENTHANDLER_REFERENCEINSERTION, SilentNulls.class.getName());
    p.setProperty(RuntimeConstants.SPACE_GOBBLING, "bc");
    p.setProperty(RuntimeConstants.PARSER_HYPHEN_ALLOWED, "true");
    p.setProperty(RuntimeConstants.CHECK_EMPTY_OBJECTS, "false");
    p.setProperty(RuntimeConstants.MAX_NUMBER_LOOPS, Integer.toString(MAX_FOREACH_ITERATIONS));
    p.setProperty(RuntimeConstants.RUNTIME_LOG_REFERENCE_LOG_INVALID, "false");
    p.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "false");
    velocity.init(p);
  }

  /**
   * Renders a template with a request's variables.
   *
   * @throws TemplateException if the template does not parse, a function in it fails, or its output is
   *     too large: API Gateway's {@code 500 Internal server error}
   */
  public RenderedTemplate render(String template, TemplateVariables variables) {
    Template compiled = compile(template == null ? "" : template);
    VelocityContext vc = new VelocityContext();
    Map<String, Object> context = variables.context().toTemplateMap();
    vc.put("input", new TemplateInput(variables.body(), variables.params()));
    vc.put("util", TemplateUtil.INSTANCE);
    vc.put("context", context);
    vc.put("stageVariables", new LinkedHashMap<>(variables.stageVariables()));
    BoundedWriter out = new BoundedWriter(MAX_OUTPUT_CHARS);
    try {
      BudgetedForeach.withDeadline(System.nanoTime() + budgetNanos, () -> compiled.merge(vc, out));
    } catch (MethodInvocationException e) {
      if (e.getCause() instanceof TemplateException te) throw new TemplateException(te.getMessage() + " (" + e.getTemplateName()
          + " line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ")", te);
      throw new TemplateException("mapping template failed: " + e.getMessage(), e);
    } catch (TemplateException e) {
      throw e;
    } catch (VelocityException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException
        | ClassCastException | IndexOutOfBoundsException | NullPointerException e) {
      throw new TemplateException("mapping template failed: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new TemplateException("mapping template recursed too deeply", null);
    }
    return new RenderedTemplate(out.toString(), Overrides.of(context));
  }

  /** Parses a template, or finds it parsed; a template that does not parse is a {@link TemplateException}. */
  Template compile(String text) {
    synchronized (parsed) {
      Template cached = parsed.get(text);
      if (cached != null) return cached;
    }
    Template template = new Template();
    template.setName("mapping template");
    template.setRuntimeServices(velocity);
    try {
      template.setData(velocity.parse(new StringReader(text), template));
      template.initDocument();
    } catch (ParseException e) {
      throw new TemplateException("mapping template does not parse: " + e.getMessage(), e);
    } catch (VelocityException e) {
      throw new TemplateException("mapping template does not parse: " + e.getMessage(), e);
    }
    synchronized (parsed) {
      Template raced = parsed.putIfAbsent(text, template);
      return raced == null ? template : raced;
    }
  }

  int cachedTemplates() {
    synchronized (parsed) {
      return parsed.size();
    }
  }

  /** Collects the output up to a cap; past it the render stops with a {@link TemplateException}. */
  private static final class BoundedWriter extends Writer {
    private final StringBuilder text = new StringBuilder();
    private final int cap;

    BoundedWriter(int cap) {
      this.cap = cap;
    }

    @Override
    public void write(char[] buf, int off, int len) {
      if (text.length() + len > cap) throw new TemplateException("mapping template output is over " + cap + " characters");
      text.append(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) {
      if (text.length() + len > cap) throw new TemplateException("mapping template output is over " + cap + " characters");
      text.append(s, off, off + len);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}

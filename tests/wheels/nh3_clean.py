# wheel: nh3==0.3.8 (cp39-abi3, Rust/PyO3): clean HTML with ammonia.
import nh3

print(nh3.clean("<b><img src='' onerror='alert(1)'>hello</b><script>x</script>"))
print(nh3.clean("<a href='https://example.com' target='_blank'>link</a><p style='color: red'>p</p>"))
print(nh3.clean("<b>keep</b><i>drop</i>", tags={"b"}))
print(nh3.clean("<a href='javascript:alert(1)'>x</a>"))
print(nh3.clean_text("<a>&"))
print(nh3.is_html("<p>x</p>"), nh3.is_html("plain"))
print(sorted(nh3.ALLOWED_TAGS)[:5])
try:
    nh3.clean(42)
except TypeError as e:
    print("TypeError", e)

/**
 * The default VitePress theme, plus Mermaid diagrams: every `.mermaid-diagram` element (a ```mermaid block of a
 * page) is rendered to SVG in the browser after each page load. Mermaid is loaded only on pages that have one.
 */

import { useRoute } from "vitepress"
import DefaultTheme from "vitepress/theme"
import { nextTick, onMounted, watch } from "vue"
import "./style.css"

let counter = 0

const renderDiagrams = async () => {
  const pending = Array.from(document.querySelectorAll<HTMLElement>(".mermaid-diagram:not([data-rendered])"))
  if (pending.length === 0) return
  const { default: mermaid } = await import("mermaid")
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" })
  for (const element of pending) {
    const graph = element.dataset.graph ?? ""
    element.dataset.rendered = "pending"
    try {
      const { svg } = await mermaid.render(`mermaid-diagram-${counter++}`, graph)
      element.innerHTML = svg
      element.dataset.rendered = "yes"
    } catch (error) {
      // A diagram that does not parse shows its source and the reason; the next diagrams still render.
      element.dataset.rendered = "error"
      element.textContent = `${graph}\n\n${error instanceof Error ? error.message : String(error)}`
      console.error("mermaid:", error)
    }
  }
}

export default {
  extends: DefaultTheme,
  setup() {
    const route = useRoute()
    onMounted(() => void renderDiagrams())
    watch(
      () => route.path,
      () => void nextTick(() => void renderDiagrams())
    )
  }
}

import ReactMarkdown, { defaultUrlTransform } from "react-markdown";

/**
 * Renders user-written Markdown safely: raw HTML is dropped, and links may only use http(s),
 * mailto or relative URLs (defaultUrlTransform removes javascript: and the like).
 */
export function Markdown({ children, lang }: { children: string; lang?: string }) {
  return (
    <div className="prose" lang={lang}>
      <ReactMarkdown
        skipHtml
        urlTransform={defaultUrlTransform}
        components={{
          // Headings in user text start below the page's own h1/h2.
          h1: ({ children }) => <h3>{children}</h3>,
          h2: ({ children }) => <h3>{children}</h3>,
          h3: ({ children }) => <h4>{children}</h4>,
          a: ({ href, children }) => (
            <a href={href} rel="nofollow noopener noreferrer">
              {children}
            </a>
          ),
          img: ({ alt }) => <span>{alt}</span>,
        }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}

import '@mantine/core/styles.css';
import './styles.css';
import { ApolloProvider } from '@apollo/client/react';
import { type CSSVariablesResolver, MantineProvider, createTheme } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { client } from './apollo';
import { App } from './App';

// Darker primary shades than Mantine's default blue: white text on filled buttons keeps a 4.5:1 contrast.
const theme = createTheme({ primaryColor: 'indigo', primaryShade: 8 });
// Text colours that keep a 4.5:1 contrast on white (Mantine's defaults for dimmed and error text are lighter).
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#495057', '--mantine-color-error': '#b02a2a', '--mantine-color-placeholder': '#5c636a' },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrast}>
      <ApolloProvider client={client}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </ApolloProvider>
    </MantineProvider>
  </StrictMode>,
);
